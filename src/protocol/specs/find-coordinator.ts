import type { ApiSpec } from '../spec';

/**
 * FindCoordinator (key 10): which broker coordinates a group (key type 0) or a transactional id
 * (key type 1). From v4 the request carries a batch of keys and the response one entry per key.
 */
export const FindCoordinator = {
  name: 'FindCoordinator',
  apiKey: 10,
  minVersion: 0,
  maxVersion: 6,
  request: {
    name: 'FindCoordinatorRequest',
    type: 'request',
    apiKey: 10,
    validVersions: '0-6',
    flexibleVersions: '3+',
    fields: [
      { name: 'key', type: 'string', versions: '0-3' },
      { name: 'keyType', type: 'int8', versions: '1+', default: '0' },
      { name: 'coordinatorKeys', type: '[]string', versions: '4+' },
    ],
  },
  response: {
    name: 'FindCoordinatorResponse',
    type: 'response',
    apiKey: 10,
    validVersions: '0-6',
    flexibleVersions: '3+',
    fields: [
      { name: 'throttleTimeMs', type: 'int32', versions: '1+' },
      { name: 'errorCode', type: 'int16', versions: '0-3' },
      { name: 'errorMessage', type: 'string', versions: '1-3', nullableVersions: '1-3' },
      { name: 'nodeId', type: 'int32', versions: '0-3' },
      { name: 'host', type: 'string', versions: '0-3' },
      { name: 'port', type: 'int32', versions: '0-3' },
      {
        name: 'coordinators',
        type: '[]Coordinator',
        versions: '4+',
        fields: [
          { name: 'key', type: 'string', versions: '4+' },
          { name: 'nodeId', type: 'int32', versions: '4+' },
          { name: 'host', type: 'string', versions: '4+' },
          { name: 'port', type: 'int32', versions: '4+' },
          { name: 'errorCode', type: 'int16', versions: '4+' },
          { name: 'errorMessage', type: 'string', versions: '4+', nullableVersions: '4+' },
        ],
      },
    ],
  },
} as const satisfies ApiSpec;
