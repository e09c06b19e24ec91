import type { ApiSpec } from '../spec';

/**
 * ConsumerGroupDescribe (key 69): state, assignor and members (with their current and target assignments)
 * of consumer groups of the KIP-848 protocol, which DescribeGroups does not see.
 */
export const ConsumerGroupDescribe = {
  name: 'ConsumerGroupDescribe',
  apiKey: 69,
  minVersion: 0,
  maxVersion: 0,
  request: {
    name: 'ConsumerGroupDescribeRequest',
    type: 'request',
    apiKey: 69,
    validVersions: '0-0',
    flexibleVersions: '0+',
    fields: [
      { name: 'groupIds', type: '[]string', versions: '0+' },
      { name: 'includeAuthorizedOperations', type: 'bool', versions: '0+' },
    ],
  },
  response: {
    name: 'ConsumerGroupDescribeResponse',
    type: 'response',
    apiKey: 69,
    validVersions: '0-0',
    flexibleVersions: '0+',
    fields: [
      { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
      {
        name: 'groups',
        type: '[]DescribedGroup',
        versions: '0+',
        fields: [
          { name: 'errorCode', type: 'int16', versions: '0+' },
          { name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+', default: 'null' },
          { name: 'groupId', type: 'string', versions: '0+' },
          { name: 'groupState', type: 'string', versions: '0+' },
          { name: 'groupEpoch', type: 'int32', versions: '0+' },
          { name: 'assignmentEpoch', type: 'int32', versions: '0+' },
          { name: 'assignorName', type: 'string', versions: '0+' },
          {
            name: 'members',
            type: '[]Member',
            versions: '0+',
            fields: [
              { name: 'memberId', type: 'string', versions: '0+' },
              { name: 'instanceId', type: 'string', versions: '0+', nullableVersions: '0+', default: 'null' },
              { name: 'rackId', type: 'string', versions: '0+', nullableVersions: '0+', default: 'null' },
              { name: 'memberEpoch', type: 'int32', versions: '0+' },
              { name: 'clientId', type: 'string', versions: '0+' },
              { name: 'clientHost', type: 'string', versions: '0+' },
              { name: 'subscribedTopicNames', type: '[]string', versions: '0+' },
              {
                name: 'subscribedTopicRegex',
                type: 'string',
                versions: '0+',
                nullableVersions: '0+',
                default: 'null',
              },
              {
                name: 'assignment',
                type: 'Assignment',
                versions: '0+',
                fields: [
                  {
                    name: 'topicPartitions',
                    type: '[]TopicPartitions',
                    versions: '0+',
                    fields: [
                      { name: 'topicId', type: 'uuid', versions: '0+' },
                      { name: 'topicName', type: 'string', versions: '0+' },
                      { name: 'partitions', type: '[]int32', versions: '0+' },
                    ],
                  },
                ],
              },
              {
                name: 'targetAssignment',
                type: 'Assignment',
                versions: '0+',
                fields: [
                  {
                    name: 'topicPartitions',
                    type: '[]TopicPartitions',
                    versions: '0+',
                    fields: [
                      { name: 'topicId', type: 'uuid', versions: '0+' },
                      { name: 'topicName', type: 'string', versions: '0+' },
                      { name: 'partitions', type: '[]int32', versions: '0+' },
                    ],
                  },
                ],
              },
            ],
          },
          { name: 'authorizedOperations', type: 'int32', versions: '0+', default: '-2147483648' },
        ],
      },
    ],
  },
} as const satisfies ApiSpec;
