import type { ApiSpec } from '../spec';

/**
 * ShareGroupHeartbeat (key 76): membership of a share group (KIP-932). One request joins (epoch 0),
 * heartbeats, carries the partitions the coordinator assigned, and leaves (epoch -1). v0 was the
 * early-access protocol of Kafka 4.0; Kafka 4.1+ speaks v1 only, which is what kafka-rx sends.
 */
export const ShareGroupHeartbeat = {
  name: 'ShareGroupHeartbeat',
  apiKey: 76,
  minVersion: 1,
  maxVersion: 1,
  request: {
    name: 'ShareGroupHeartbeatRequest',
    type: 'request',
    apiKey: 76,
    validVersions: '1-1',
    flexibleVersions: '0+',
    fields: [
      { name: 'groupId', type: 'string', versions: '0+' },
      { name: 'memberId', type: 'string', versions: '0+' },
      { name: 'memberEpoch', type: 'int32', versions: '0+' },
      { name: 'rackId', type: 'string', versions: '0+', nullableVersions: '0+', default: 'null' },
      {
        name: 'subscribedTopicNames',
        type: '[]string',
        versions: '0+',
        nullableVersions: '0+',
        default: 'null',
      },
    ],
  },
  response: {
    name: 'ShareGroupHeartbeatResponse',
    type: 'response',
    apiKey: 76,
    validVersions: '1-1',
    flexibleVersions: '0+',
    fields: [
      { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
      { name: 'errorCode', type: 'int16', versions: '0+' },
      { name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+', default: 'null' },
      { name: 'memberId', type: 'string', versions: '0+', nullableVersions: '0+', default: 'null' },
      { name: 'memberEpoch', type: 'int32', versions: '0+' },
      { name: 'heartbeatIntervalMs', type: 'int32', versions: '0+' },
      {
        name: 'assignment',
        type: 'Assignment',
        versions: '0+',
        nullableVersions: '0+',
        default: 'null',
        fields: [
          {
            name: 'topicPartitions',
            type: '[]TopicPartitions',
            versions: '0+',
            fields: [
              { name: 'topicId', type: 'uuid', versions: '0+' },
              { name: 'partitions', type: '[]int32', versions: '0+' },
            ],
          },
        ],
      },
    ],
  },
} as const satisfies ApiSpec;
