import type { ApiSpec } from '../spec';

/**
 * LeaveGroup (key 13): one member (v0-2) or a batch of members (v3+) leaves a classic group, so that
 * the group rebalances without waiting for a session timeout.
 */
export const LeaveGroup = {
  name: 'LeaveGroup',
  apiKey: 13,
  minVersion: 0,
  maxVersion: 5,
  request: {
    name: 'LeaveGroupRequest',
    type: 'request',
    apiKey: 13,
    validVersions: '0-5',
    flexibleVersions: '4+',
    fields: [
      { name: 'groupId', type: 'string', versions: '0+' },
      { name: 'memberId', type: 'string', versions: '0-2' },
      {
        name: 'members',
        type: '[]MemberIdentity',
        versions: '3+',
        fields: [
          { name: 'memberId', type: 'string', versions: '3+' },
          {
            name: 'groupInstanceId',
            type: 'string',
            versions: '3+',
            nullableVersions: '3+',
            default: 'null',
          },
          { name: 'reason', type: 'string', versions: '5+', nullableVersions: '5+', default: 'null' },
        ],
      },
    ],
  },
  response: {
    name: 'LeaveGroupResponse',
    type: 'response',
    apiKey: 13,
    validVersions: '0-5',
    flexibleVersions: '4+',
    fields: [
      { name: 'throttleTimeMs', type: 'int32', versions: '1+' },
      { name: 'errorCode', type: 'int16', versions: '0+' },
      {
        name: 'members',
        type: '[]MemberResponse',
        versions: '3+',
        fields: [
          { name: 'memberId', type: 'string', versions: '3+' },
          { name: 'groupInstanceId', type: 'string', versions: '3+', nullableVersions: '3+' },
          { name: 'errorCode', type: 'int16', versions: '3+' },
        ],
      },
    ],
  },
} as const satisfies ApiSpec;
