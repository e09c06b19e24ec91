import type { MessageSpec } from '../spec';

/**
 * The `metadata` a consumer puts in each JoinGroup protocol of type "consumer": its topics and,
 * from v1, the partitions it owns (for cooperative rebalancing). kafka-rx speaks v0-3.
 */
export const ConsumerProtocolSubscription = {
  name: 'ConsumerProtocolSubscription',
  type: 'data',
  validVersions: '0-3',
  flexibleVersions: 'none',
  fields: [
    { name: 'topics', type: '[]string', versions: '0+' },
    { name: 'userData', type: 'bytes', versions: '0+', nullableVersions: '0+', default: 'null' },
    {
      name: 'ownedPartitions',
      type: '[]TopicPartition',
      versions: '1+',
      fields: [
        { name: 'topic', type: 'string', versions: '1+' },
        { name: 'partitions', type: '[]int32', versions: '1+' },
      ],
    },
    { name: 'generationId', type: 'int32', versions: '2+', default: '-1' },
    { name: 'rackId', type: 'string', versions: '3+', nullableVersions: '3+', default: 'null' },
  ],
} as const satisfies MessageSpec;
