import type { MessageSpec } from '../spec';

/**
 * The `assignment` the group leader hands each member in SyncGroup for protocol type "consumer":
 * its partitions per topic. kafka-rx speaks v0-3.
 */
export const ConsumerProtocolAssignment = {
  name: 'ConsumerProtocolAssignment',
  type: 'data',
  validVersions: '0-3',
  flexibleVersions: 'none',
  fields: [
    {
      name: 'assignedPartitions',
      type: '[]TopicPartition',
      versions: '0+',
      fields: [
        { name: 'topic', type: 'string', versions: '0+' },
        { name: 'partitions', type: '[]int32', versions: '0+' },
      ],
    },
    { name: 'userData', type: 'bytes', versions: '0+', nullableVersions: '0+', default: 'null' },
  ],
} as const satisfies MessageSpec;
