import type { Message } from '../../src/protocol/spec';

/** A sessionless Fetch request body for partition 0 of one topic, as the fake cluster's handler tests send it. */
export function fetchRequestBody(options: {
  readonly fetchOffset: bigint;
  readonly topic?: string;
  /** v13+: the topic by id. */
  readonly topicId?: string;
  readonly maxWaitMs?: number;
  readonly minBytes?: number;
  readonly isolationLevel?: 0 | 1;
}): Message {
  return {
    replicaId: -1,
    maxWaitMs: options.maxWaitMs ?? 0,
    minBytes: options.minBytes ?? 1,
    maxBytes: 1 << 20,
    isolationLevel: options.isolationLevel ?? 0,
    sessionId: 0,
    sessionEpoch: -1,
    topics: [
      {
        topic: options.topic ?? 't',
        ...(options.topicId === undefined ? {} : { topicId: options.topicId }),
        partitions: [
          {
            partition: 0,
            currentLeaderEpoch: -1,
            fetchOffset: options.fetchOffset,
            lastFetchedEpoch: -1,
            logStartOffset: -1,
            partitionMaxBytes: 1 << 20,
          },
        ],
      },
    ],
    forgottenTopicsData: [],
    rackId: '',
  };
}
