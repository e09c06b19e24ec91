import type { ApiSpec } from '../spec';

/**
 * ApiVersions (key 18): asks a broker which versions of each API it supports; the first request on
 * every connection. Its response always travels with response header v0, even in flexible versions,
 * so that a client that sent a too-new request can still read the error.
 */
export const ApiVersions = {
  name: 'ApiVersions',
  apiKey: 18,
  minVersion: 0,
  maxVersion: 4,
  request: {
    name: 'ApiVersionsRequest',
    type: 'request',
    apiKey: 18,
    validVersions: '0-4',
    flexibleVersions: '3+',
    fields: [
      { name: 'clientSoftwareName', type: 'string', versions: '3+' },
      { name: 'clientSoftwareVersion', type: 'string', versions: '3+' },
    ],
  },
  response: {
    name: 'ApiVersionsResponse',
    type: 'response',
    apiKey: 18,
    validVersions: '0-4',
    flexibleVersions: '3+',
    fields: [
      { name: 'errorCode', type: 'int16', versions: '0+' },
      {
        name: 'apiKeys',
        type: '[]ApiVersion',
        versions: '0+',
        fields: [
          { name: 'apiKey', type: 'int16', versions: '0+' },
          { name: 'minVersion', type: 'int16', versions: '0+' },
          { name: 'maxVersion', type: 'int16', versions: '0+' },
        ],
      },
      { name: 'throttleTimeMs', type: 'int32', versions: '1+' },
      {
        name: 'supportedFeatures',
        type: '[]SupportedFeatureKey',
        versions: '3+',
        taggedVersions: '3+',
        tag: 0,
        fields: [
          { name: 'name', type: 'string', versions: '3+' },
          { name: 'minVersion', type: 'int16', versions: '3+' },
          { name: 'maxVersion', type: 'int16', versions: '3+' },
        ],
      },
      {
        name: 'finalizedFeaturesEpoch',
        type: 'int64',
        versions: '3+',
        taggedVersions: '3+',
        tag: 1,
        default: '-1',
      },
      {
        name: 'finalizedFeatures',
        type: '[]FinalizedFeatureKey',
        versions: '3+',
        taggedVersions: '3+',
        tag: 2,
        fields: [
          { name: 'name', type: 'string', versions: '3+' },
          { name: 'maxVersionLevel', type: 'int16', versions: '3+' },
          { name: 'minVersionLevel', type: 'int16', versions: '3+' },
        ],
      },
      {
        name: 'zkMigrationReady',
        type: 'bool',
        versions: '3+',
        taggedVersions: '3+',
        tag: 3,
        default: 'false',
      },
    ],
  },
} as const satisfies ApiSpec;
