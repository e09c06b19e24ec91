/**
 * Admin: create a topic, describe it, and read a group's lag. Every call over several items
 * resolves with one result per item; an item that failed carries its own `error`.
 *
 *   import { createAdmin } from 'kafka-rx';
 *
 * Run: node --require ./bench/register.js examples/admin.ts host:port   (a real broker, or the fake cluster on its TCP port)
 */
import { createAdmin } from '../src';

export interface AdminOptions {
  readonly brokers: string[];
  readonly topic?: string;
  readonly groupId?: string;
  /** Where a failed creation is reported; `console.error` by default. */
  readonly log?: (line: string) => void;
}

/** Creates `topic` with 6 partitions (if it is new) and reports its partitions and a group's lag. */
export async function main({
  brokers,
  topic = 'orders',
  groupId = 'billing',
  log = console.error,
}: AdminOptions) {
  // #region admin
  const admin = createAdmin({ brokers });
  const [created] = await admin.createTopics([
    { name: topic, partitions: 6, configs: { 'retention.ms': '86400000' } },
  ]);
  if (created.error) log(created.error.name); // e.g. TOPIC_ALREADY_EXISTS
  const [described] = await admin.describeTopics([topic]); // partitions with leader, replicas, isr; topicId
  const { partitions, total } = await admin.lag(groupId); // committed vs end offset per partition
  await admin.close();
  // #endregion
  return { created, described, lag: { partitions, total } };
}

if (require.main === module) {
  void main({ brokers: (process.argv[2] ?? '127.0.0.1:9092').split(',') }).then(({ described, lag }) =>
    console.log(
      `${described.name}: ${described.partitions?.length} partitions; lag of billing: ${lag.total}`,
    ),
  );
}
