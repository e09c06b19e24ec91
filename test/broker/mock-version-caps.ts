import type { Build } from './builds';

/**
 * API versions that librdkafka's mock broker advertises but answers wrongly, so a client that
 * picks the highest common version (as kafka-rx and Kafka's own clients do) fails against it.
 * A real Kafka broker handles all of these; librdkafka's own client never sends them, which is
 * why the mock gets away with it. The harness caps them by default, with the mock's own control.
 */
export const mockVersionCaps: Record<Build, readonly { apiKey: number; max: number; why: string }[]> = {
  new: [
    {
      apiKey: 11,
      max: 5,
      why: 'JoinGroup v6+ (flexible): protocols read with an int32 count, members written non-flexibly',
    },
    { apiKey: 14, max: 3, why: 'SyncGroup v4+ (flexible): assignments read with an int32 count' },
    {
      apiKey: 13,
      max: 2,
      why: 'LeaveGroup v3+ (batched members): read in the v0-2 layout, so the member never leaves',
    },
    { apiKey: 9, max: 7, why: 'OffsetFetch v8+ (batched groups): not read' },
  ],
  old: [
    { apiKey: 11, max: 5, why: 'JoinGroup v6+ (flexible): not read as flexible' },
    { apiKey: 14, max: 3, why: 'SyncGroup v4+ (flexible): not read as flexible' },
    {
      apiKey: 13,
      max: 2,
      why: 'LeaveGroup v3+ (batched members): read in the v0-2 layout, so the member never leaves',
    },
    { apiKey: 9, max: 5, why: 'OffsetFetch v6+ (flexible): connection closed' },
    {
      apiKey: 2,
      max: 3,
      why: 'ListOffsets v4+: every partition after the first answered with partitionIndex -1',
    },
  ],
};
