import type { ApiSpec } from '../spec';

/**
 * ListOffsets (key 2): the offset for a timestamp per partition, or the earliest (-2) or latest (-1)
 * offset. v0 (a list of offsets per partition) is left out.
 */
export const ListOffsets = {
  name: 'ListOffsets',
  apiKey: 2,
  minVersion: 1,
  maxVersion: 10,
  request: {
    name: 'ListOffsetsRequest',
    type: 'request',
    apiKey: 2,
    validVersions: '1-10',
    flexibleVersions: '6+',
    fields: [
      { name: 'replicaId', type: 'int32', versions: '0+' },
      { name: 'isolationLevel', type: 'int8', versions: '2+' },
      {
        name: 'topics',
        type: '[]ListOffsetsTopic',
        versions: '0+',
        fields: [
          { name: 'name', type: 'string', versions: '0+' },
          {
            name: 'partitions',
            type: '[]ListOffsetsPartition',
            versions: '0+',
            fields: [
              { name: 'partitionIndex', type: 'int32', versions: '0+' },
              { name: 'currentLeaderEpoch', type: 'int32', versions: '4+', default: '-1' },
              { name: 'timestamp', type: 'int64', versions: '0+' },
            ],
          },
        ],
      },
      { name: 'timeoutMs', type: 'int32', versions: '10+' },
    ],
  },
  response: {
    name: 'ListOffsetsResponse',
    type: 'response',
    apiKey: 2,
    validVersions: '1-10',
    flexibleVersions: '6+',
    fields: [
      { name: 'throttleTimeMs', type: 'int32', versions: '2+' },
      {
        name: 'topics',
        type: '[]ListOffsetsTopicResponse',
        versions: '0+',
        fields: [
          { name: 'name', type: 'string', versions: '0+' },
          {
            name: 'partitions',
            type: '[]ListOffsetsPartitionResponse',
            versions: '0+',
            fields: [
              { name: 'partitionIndex', type: 'int32', versions: '0+' },
              { name: 'errorCode', type: 'int16', versions: '0+' },
              { name: 'timestamp', type: 'int64', versions: '1+', default: '-1' },
              { name: 'offset', type: 'int64', versions: '1+', default: '-1' },
              { name: 'leaderEpoch', type: 'int32', versions: '4+', default: '-1' },
            ],
          },
        ],
      },
    ],
  },
} as const satisfies ApiSpec;
