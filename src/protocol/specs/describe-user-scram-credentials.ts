import type { ApiSpec } from '../spec';

/**
 * DescribeUserScramCredentials (key 50): the SCRAM mechanisms and iteration counts stored for users
 * (KIP-554); never the secrets.
 */
export const DescribeUserScramCredentials = {
  name: 'DescribeUserScramCredentials',
  apiKey: 50,
  minVersion: 0,
  maxVersion: 0,
  request: {
    name: 'DescribeUserScramCredentialsRequest',
    type: 'request',
    apiKey: 50,
    validVersions: '0-0',
    flexibleVersions: '0+',
    fields: [
      {
        name: 'users',
        type: '[]UserName',
        versions: '0+',
        nullableVersions: '0+',
        fields: [{ name: 'name', type: 'string', versions: '0+' }],
      },
    ],
  },
  response: {
    name: 'DescribeUserScramCredentialsResponse',
    type: 'response',
    apiKey: 50,
    validVersions: '0-0',
    flexibleVersions: '0+',
    fields: [
      { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
      { name: 'errorCode', type: 'int16', versions: '0+' },
      { name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+' },
      {
        name: 'results',
        type: '[]DescribeUserScramCredentialsResult',
        versions: '0+',
        fields: [
          { name: 'user', type: 'string', versions: '0+' },
          { name: 'errorCode', type: 'int16', versions: '0+' },
          { name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+' },
          {
            name: 'credentialInfos',
            type: '[]CredentialInfo',
            versions: '0+',
            fields: [
              { name: 'mechanism', type: 'int8', versions: '0+' },
              { name: 'iterations', type: 'int32', versions: '0+' },
            ],
          },
        ],
      },
    ],
  },
} as const satisfies ApiSpec;
