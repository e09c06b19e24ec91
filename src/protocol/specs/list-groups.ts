import type { ApiSpec } from '../spec';

/**
 * ListGroups (key 16): the groups a broker coordinates, with their protocol type; v4 filters by state
 * (KIP-518), v5 by group type (KIP-848).
 */
export const ListGroups = {
  name: 'ListGroups',
  apiKey: 16,
  minVersion: 0,
  maxVersion: 5,
  request: {
    name: 'ListGroupsRequest',
    type: 'request',
    apiKey: 16,
    validVersions: '0-5',
    flexibleVersions: '3+',
    fields: [
      { name: 'statesFilter', type: '[]string', versions: '4+' },
      { name: 'typesFilter', type: '[]string', versions: '5+' },
    ],
  },
  response: {
    name: 'ListGroupsResponse',
    type: 'response',
    apiKey: 16,
    validVersions: '0-5',
    flexibleVersions: '3+',
    fields: [
      { name: 'throttleTimeMs', type: 'int32', versions: '1+' },
      { name: 'errorCode', type: 'int16', versions: '0+' },
      {
        name: 'groups',
        type: '[]ListedGroup',
        versions: '0+',
        fields: [
          { name: 'groupId', type: 'string', versions: '0+' },
          { name: 'protocolType', type: 'string', versions: '0+' },
          { name: 'groupState', type: 'string', versions: '4+' },
          { name: 'groupType', type: 'string', versions: '5+' },
        ],
      },
    ],
  },
} as const satisfies ApiSpec;
