import type { ApiSpec } from '../spec';

/**
 * SyncGroup (key 14): the leader sends every member's assignment, every member receives its own (for
 * consumers, a ConsumerProtocolAssignment).
 */
export const SyncGroup = {
  name: 'SyncGroup',
  apiKey: 14,
  minVersion: 0,
  maxVersion: 5,
  request: {
    name: 'SyncGroupRequest',
    type: 'request',
    apiKey: 14,
    validVersions: '0-5',
    flexibleVersions: '4+',
    fields: [
      { name: 'groupId', type: 'string', versions: '0+' },
      { name: 'generationId', type: 'int32', versions: '0+' },
      { name: 'memberId', type: 'string', versions: '0+' },
      { name: 'groupInstanceId', type: 'string', versions: '3+', nullableVersions: '3+', default: 'null' },
      { name: 'protocolType', type: 'string', versions: '5+', nullableVersions: '5+', default: 'null' },
      { name: 'protocolName', type: 'string', versions: '5+', nullableVersions: '5+', default: 'null' },
      {
        name: 'assignments',
        type: '[]SyncGroupRequestAssignment',
        versions: '0+',
        fields: [
          { name: 'memberId', type: 'string', versions: '0+' },
          { name: 'assignment', type: 'bytes', versions: '0+' },
        ],
      },
    ],
  },
  response: {
    name: 'SyncGroupResponse',
    type: 'response',
    apiKey: 14,
    validVersions: '0-5',
    flexibleVersions: '4+',
    fields: [
      { name: 'throttleTimeMs', type: 'int32', versions: '1+' },
      { name: 'errorCode', type: 'int16', versions: '0+' },
      { name: 'protocolType', type: 'string', versions: '5+', nullableVersions: '5+', default: 'null' },
      { name: 'protocolName', type: 'string', versions: '5+', nullableVersions: '5+', default: 'null' },
      { name: 'assignment', type: 'bytes', versions: '0+' },
    ],
  },
} as const satisfies ApiSpec;
