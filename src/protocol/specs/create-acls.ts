import type { ApiSpec } from '../spec';

/**
 * CreateAcls (key 30): creates ACL bindings (resource, pattern type, principal, host, operation,
 * permission); one result per binding, in order. v0 is left out (KIP-896).
 */
export const CreateAcls = {
  name: 'CreateAcls',
  apiKey: 30,
  minVersion: 1,
  maxVersion: 3,
  request: {
    name: 'CreateAclsRequest',
    type: 'request',
    apiKey: 30,
    validVersions: '1-3',
    flexibleVersions: '2+',
    fields: [
      {
        name: 'creations',
        type: '[]AclCreation',
        versions: '0+',
        fields: [
          { name: 'resourceType', type: 'int8', versions: '0+' },
          { name: 'resourceName', type: 'string', versions: '0+' },
          { name: 'resourcePatternType', type: 'int8', versions: '1+', default: '3' },
          { name: 'principal', type: 'string', versions: '0+' },
          { name: 'host', type: 'string', versions: '0+' },
          { name: 'operation', type: 'int8', versions: '0+' },
          { name: 'permissionType', type: 'int8', versions: '0+' },
        ],
      },
    ],
  },
  response: {
    name: 'CreateAclsResponse',
    type: 'response',
    apiKey: 30,
    validVersions: '1-3',
    flexibleVersions: '2+',
    fields: [
      { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
      {
        name: 'results',
        type: '[]AclCreationResult',
        versions: '0+',
        fields: [
          { name: 'errorCode', type: 'int16', versions: '0+' },
          { name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+' },
        ],
      },
    ],
  },
} as const satisfies ApiSpec;
