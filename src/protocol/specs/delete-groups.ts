import type { ApiSpec } from '../spec';

/**
 * DeleteGroups (key 42): deletes empty groups and their committed offsets; sent to the groups' coordinator.
 */
export const DeleteGroups = {
  name: 'DeleteGroups',
  apiKey: 42,
  minVersion: 0,
  maxVersion: 2,
  request: {
    name: 'DeleteGroupsRequest',
    type: 'request',
    apiKey: 42,
    validVersions: '0-2',
    flexibleVersions: '2+',
    fields: [{ name: 'groupsNames', type: '[]string', versions: '0+' }],
  },
  response: {
    name: 'DeleteGroupsResponse',
    type: 'response',
    apiKey: 42,
    validVersions: '0-2',
    flexibleVersions: '2+',
    fields: [
      { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
      {
        name: 'results',
        type: '[]DeletableGroupResult',
        versions: '0+',
        fields: [
          { name: 'groupId', type: 'string', versions: '0+' },
          { name: 'errorCode', type: 'int16', versions: '0+' },
        ],
      },
    ],
  },
} as const satisfies ApiSpec;
