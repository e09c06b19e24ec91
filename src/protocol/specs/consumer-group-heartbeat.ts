import type { ApiSpec } from '../spec';

/**
 * ConsumerGroupHeartbeat (key 68): the KIP-848 consumer group protocol, where joining, heartbeating and
 * receiving an assignment are one request. v1 adds a subscription by regular expression and has the
 * client make up its member id (KIP-1082); the JSON definition the drift test reads still marks it
 * unstable, but Kafka 4.0+ offers it as stable (4.4 speaks v0-v1).
 */
export const ConsumerGroupHeartbeat = {
  name: 'ConsumerGroupHeartbeat',
  apiKey: 68,
  minVersion: 0,
  maxVersion: 1,
  request: {
    name: 'ConsumerGroupHeartbeatRequest',
    type: 'request',
    apiKey: 68,
    validVersions: '0-1',
    flexibleVersions: '0+',
    fields: [
      { name: 'groupId', type: 'string', versions: '0+' },
      { name: 'memberId', type: 'string', versions: '0+' },
      { name: 'memberEpoch', type: 'int32', versions: '0+' },
      { name: 'instanceId', type: 'string', versions: '0+', nullableVersions: '0+', default: 'null' },
      { name: 'rackId', type: 'string', versions: '0+', nullableVersions: '0+', default: 'null' },
      { name: 'rebalanceTimeoutMs', type: 'int32', versions: '0+', default: -1 },
      {
        name: 'subscribedTopicNames',
        type: '[]string',
        versions: '0+',
        nullableVersions: '0+',
        default: 'null',
      },
      {
        name: 'subscribedTopicRegex',
        type: 'string',
        versions: '1+',
        nullableVersions: '1+',
        default: 'null',
      },
      { name: 'serverAssignor', type: 'string', versions: '0+', nullableVersions: '0+', default: 'null' },
      {
        name: 'topicPartitions',
        type: '[]TopicPartitions',
        versions: '0+',
        nullableVersions: '0+',
        default: 'null',
        fields: [
          { name: 'topicId', type: 'uuid', versions: '0+' },
          { name: 'partitions', type: '[]int32', versions: '0+' },
        ],
      },
    ],
  },
  response: {
    name: 'ConsumerGroupHeartbeatResponse',
    type: 'response',
    apiKey: 68,
    validVersions: '0-1',
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
