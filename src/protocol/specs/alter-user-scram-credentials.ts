import type { ApiSpec } from '../spec';

/**
 * AlterUserScramCredentials (key 51): stores (salt and salted password, computed by the client) or deletes
 * users' SCRAM credentials (KIP-554).
 */
export const AlterUserScramCredentials = {
  name: 'AlterUserScramCredentials',
  apiKey: 51,
  minVersion: 0,
  maxVersion: 0,
  request: {
    name: 'AlterUserScramCredentialsRequest',
    type: 'request',
    apiKey: 51,
    validVersions: '0-0',
    flexibleVersions: '0+',
    fields: [
      {
        name: 'deletions',
        type: '[]ScramCredentialDeletion',
        versions: '0+',
        fields: [
          { name: 'name', type: 'string', versions: '0+' },
          { name: 'mechanism', type: 'int8', versions: '0+' },
        ],
      },
      {
        name: 'upsertions',
        type: '[]ScramCredentialUpsertion',
        versions: '0+',
        fields: [
          { name: 'name', type: 'string', versions: '0+' },
          { name: 'mechanism', type: 'int8', versions: '0+' },
          { name: 'iterations', type: 'int32', versions: '0+' },
          { name: 'salt', type: 'bytes', versions: '0+' },
          { name: 'saltedPassword', type: 'bytes', versions: '0+' },
        ],
      },
    ],
  },
  response: {
    name: 'AlterUserScramCredentialsResponse',
    type: 'response',
    apiKey: 51,
    validVersions: '0-0',
    flexibleVersions: '0+',
    fields: [
      { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
      {
        name: 'results',
        type: '[]AlterUserScramCredentialsResult',
        versions: '0+',
        fields: [
          { name: 'user', type: 'string', versions: '0+' },
          { name: 'errorCode', type: 'int16', versions: '0+' },
          { name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+' },
        ],
      },
    ],
  },
} as const satisfies ApiSpec;
