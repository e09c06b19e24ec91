import type { ApiSpec } from '../spec';

/**
 * DescribeAcls (key 29): the ACL bindings that match a filter. v0 (no pattern type) is left out (KIP-896).
 */
export const DescribeAcls = {
  name: 'DescribeAcls',
  apiKey: 29,
  minVersion: 1,
  maxVersion: 3,
  request: {
    name: 'DescribeAclsRequest',
    type: 'request',
    apiKey: 29,
    validVersions: '1-3',
    flexibleVersions: '2+',
    fields: [
      { name: 'resourceTypeFilter', type: 'int8', versions: '0+' },
      { name: 'resourceNameFilter', type: 'string', versions: '0+', nullableVersions: '0+' },
      { name: 'patternTypeFilter', type: 'int8', versions: '1+', default: '3' },
      { name: 'principalFilter', type: 'string', versions: '0+', nullableVersions: '0+' },
      { name: 'hostFilter', type: 'string', versions: '0+', nullableVersions: '0+' },
      { name: 'operation', type: 'int8', versions: '0+' },
      { name: 'permissionType', type: 'int8', versions: '0+' },
    ],
  },
  response: {
    name: 'DescribeAclsResponse',
    type: 'response',
    apiKey: 29,
    validVersions: '1-3',
    flexibleVersions: '2+',
    fields: [
      { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
      { name: 'errorCode', type: 'int16', versions: '0+' },
      { name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+' },
      {
        name: 'resources',
        type: '[]DescribeAclsResource',
        versions: '0+',
        fields: [
          { name: 'resourceType', type: 'int8', versions: '0+' },
          { name: 'resourceName', type: 'string', versions: '0+' },
          { name: 'patternType', type: 'int8', versions: '1+', default: '3' },
          {
            name: 'acls',
            type: '[]AclDescription',
            versions: '0+',
            fields: [
              { name: 'principal', type: 'string', versions: '0+' },
              { name: 'host', type: 'string', versions: '0+' },
              { name: 'operation', type: 'int8', versions: '0+' },
              { name: 'permissionType', type: 'int8', versions: '0+' },
            ],
          },
        ],
      },
    ],
  },
} as const satisfies ApiSpec;
