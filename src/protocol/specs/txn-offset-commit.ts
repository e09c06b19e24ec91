import type { ApiSpec } from '../spec';

/**
 * TxnOffsetCommit (key 28): commits a group's offsets as part of a transaction.
 */
export const TxnOffsetCommit = {
  name: 'TxnOffsetCommit',
  apiKey: 28,
  minVersion: 0,
  maxVersion: 4,
  request: {
    name: 'TxnOffsetCommitRequest',
    type: 'request',
    apiKey: 28,
    validVersions: '0-4',
    flexibleVersions: '3+',
    fields: [
      { name: 'transactionalId', type: 'string', versions: '0+' },
      { name: 'groupId', type: 'string', versions: '0+' },
      { name: 'producerId', type: 'int64', versions: '0+' },
      { name: 'producerEpoch', type: 'int16', versions: '0+' },
      { name: 'generationId', type: 'int32', versions: '3+', default: '-1' },
      { name: 'memberId', type: 'string', versions: '3+', default: '' },
      { name: 'groupInstanceId', type: 'string', versions: '3+', nullableVersions: '3+', default: 'null' },
      {
        name: 'topics',
        type: '[]TxnOffsetCommitRequestTopic',
        versions: '0+',
        fields: [
          { name: 'name', type: 'string', versions: '0+' },
          {
            name: 'partitions',
            type: '[]TxnOffsetCommitRequestPartition',
            versions: '0+',
            fields: [
              { name: 'partitionIndex', type: 'int32', versions: '0+' },
              { name: 'committedOffset', type: 'int64', versions: '0+' },
              { name: 'committedLeaderEpoch', type: 'int32', versions: '2+', default: '-1' },
              { name: 'committedMetadata', type: 'string', versions: '0+', nullableVersions: '0+' },
            ],
          },
        ],
      },
    ],
  },
  response: {
    name: 'TxnOffsetCommitResponse',
    type: 'response',
    apiKey: 28,
    validVersions: '0-4',
    flexibleVersions: '3+',
    fields: [
      { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
      {
        name: 'topics',
        type: '[]TxnOffsetCommitResponseTopic',
        versions: '0+',
        fields: [
          { name: 'name', type: 'string', versions: '0+' },
          {
            name: 'partitions',
            type: '[]TxnOffsetCommitResponsePartition',
            versions: '0+',
            fields: [
              { name: 'partitionIndex', type: 'int32', versions: '0+' },
              { name: 'errorCode', type: 'int16', versions: '0+' },
            ],
          },
        ],
      },
    ],
  },
} as const satisfies ApiSpec;
