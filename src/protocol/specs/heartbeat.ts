import type { ApiSpec } from '../spec';

/**
 * Heartbeat (key 12): a member of a classic group tells its coordinator it is alive; the error code
 * says when a rebalance is due.
 */
export const Heartbeat = {
  name: 'Heartbeat',
  apiKey: 12,
  minVersion: 0,
  maxVersion: 4,
  request: {
    name: 'HeartbeatRequest',
    type: 'request',
    apiKey: 12,
    validVersions: '0-4',
    flexibleVersions: '4+',
    fields: [
      { name: 'groupId', type: 'string', versions: '0+' },
      { name: 'generationId', type: 'int32', versions: '0+' },
      { name: 'memberId', type: 'string', versions: '0+' },
      { name: 'groupInstanceId', type: 'string', versions: '3+', nullableVersions: '3+', default: 'null' },
    ],
  },
  response: {
    name: 'HeartbeatResponse',
    type: 'response',
    apiKey: 12,
    validVersions: '0-4',
    flexibleVersions: '4+',
    fields: [
      { name: 'throttleTimeMs', type: 'int32', versions: '1+' },
      { name: 'errorCode', type: 'int16', versions: '0+' },
    ],
  },
} as const satisfies ApiSpec;
