import type { ApiSpec } from '../spec';

/**
 * DeleteTopics (key 20): deletes topics, by name (v1-5 a list of names, v6 a list of name or topic id). v0
 * is left out (KIP-896).
 */
export const DeleteTopics = {
  name: 'DeleteTopics',
  apiKey: 20,
  minVersion: 1,
  maxVersion: 6,
  request: {
    name: 'DeleteTopicsRequest',
    type: 'request',
    apiKey: 20,
    validVersions: '1-6',
    flexibleVersions: '4+',
    fields: [
      {
        name: 'topics',
        type: '[]DeleteTopicState',
        versions: '6+',
        fields: [
          { name: 'name', type: 'string', versions: '6+', nullableVersions: '6+', default: 'null' },
          { name: 'topicId', type: 'uuid', versions: '6+' },
        ],
      },
      { name: 'topicNames', type: '[]string', versions: '0-5' },
      { name: 'timeoutMs', type: 'int32', versions: '0+' },
    ],
  },
  response: {
    name: 'DeleteTopicsResponse',
    type: 'response',
    apiKey: 20,
    validVersions: '1-6',
    flexibleVersions: '4+',
    fields: [
      { name: 'throttleTimeMs', type: 'int32', versions: '1+' },
      {
        name: 'responses',
        type: '[]DeletableTopicResult',
        versions: '0+',
        fields: [
          { name: 'name', type: 'string', versions: '0+', nullableVersions: '6+' },
          { name: 'topicId', type: 'uuid', versions: '6+' },
          { name: 'errorCode', type: 'int16', versions: '0+' },
          { name: 'errorMessage', type: 'string', versions: '5+', nullableVersions: '5+', default: 'null' },
        ],
      },
    ],
  },
} as const satisfies ApiSpec;
