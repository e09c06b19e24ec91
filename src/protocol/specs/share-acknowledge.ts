import type { ApiSpec } from '../spec';

/**
 * ShareAcknowledge (key 79): acknowledges records of a share session without fetching (accept,
 * release, reject; renew from v2, KIP-1222). Kafka 4.1+ speaks v1-v2.
 */
export const ShareAcknowledge = {
  name: 'ShareAcknowledge',
  apiKey: 79,
  minVersion: 1,
  maxVersion: 2,
  request: {
    name: 'ShareAcknowledgeRequest',
    type: 'request',
    apiKey: 79,
    validVersions: '1-2',
    flexibleVersions: '0+',
    fields: [
      { name: 'groupId', type: 'string', versions: '0+', nullableVersions: '0+', default: 'null' },
      { name: 'memberId', type: 'string', versions: '0+', nullableVersions: '0+' },
      { name: 'shareSessionEpoch', type: 'int32', versions: '0+' },
      { name: 'isRenewAck', type: 'bool', versions: '2+', default: 'false' },
      {
        name: 'topics',
        type: '[]AcknowledgeTopic',
        versions: '0+',
        fields: [
          { name: 'topicId', type: 'uuid', versions: '0+' },
          {
            name: 'partitions',
            type: '[]AcknowledgePartition',
            versions: '0+',
            fields: [
              { name: 'partitionIndex', type: 'int32', versions: '0+' },
              {
                name: 'acknowledgementBatches',
                type: '[]AcknowledgementBatch',
                versions: '0+',
                fields: [
                  { name: 'firstOffset', type: 'int64', versions: '0+' },
                  { name: 'lastOffset', type: 'int64', versions: '0+' },
                  { name: 'acknowledgeTypes', type: '[]int8', versions: '0+' },
                ],
              },
            ],
          },
        ],
      },
    ],
  },
  response: {
    name: 'ShareAcknowledgeResponse',
    type: 'response',
    apiKey: 79,
    validVersions: '1-2',
    flexibleVersions: '0+',
    fields: [
      { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
      { name: 'errorCode', type: 'int16', versions: '0+' },
      { name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+', default: 'null' },
      { name: 'acquisitionLockTimeoutMs', type: 'int32', versions: '2+' },
      {
        name: 'responses',
        type: '[]ShareAcknowledgeTopicResponse',
        versions: '0+',
        fields: [
          { name: 'topicId', type: 'uuid', versions: '0+' },
          {
            name: 'partitions',
            type: '[]PartitionData',
            versions: '0+',
            fields: [
              { name: 'partitionIndex', type: 'int32', versions: '0+' },
              { name: 'errorCode', type: 'int16', versions: '0+' },
              {
                name: 'errorMessage',
                type: 'string',
                versions: '0+',
                nullableVersions: '0+',
                default: 'null',
              },
              {
                name: 'currentLeader',
                type: 'LeaderIdAndEpoch',
                versions: '0+',
                fields: [
                  { name: 'leaderId', type: 'int32', versions: '0+' },
                  { name: 'leaderEpoch', type: 'int32', versions: '0+' },
                ],
              },
            ],
          },
        ],
      },
      {
        name: 'nodeEndpoints',
        type: '[]NodeEndpoint',
        versions: '0+',
        fields: [
          { name: 'nodeId', type: 'int32', versions: '0+' },
          { name: 'host', type: 'string', versions: '0+' },
          { name: 'port', type: 'int32', versions: '0+' },
          { name: 'rack', type: 'string', versions: '0+', nullableVersions: '0+', default: 'null' },
        ],
      },
    ],
  },
} as const satisfies ApiSpec;
