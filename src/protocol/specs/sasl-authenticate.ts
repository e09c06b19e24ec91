import type { ApiSpec } from '../spec';

/**
 * SaslAuthenticate (key 36): one round of the SASL exchange, as opaque bytes.
 */
export const SaslAuthenticate = {
  name: 'SaslAuthenticate',
  apiKey: 36,
  minVersion: 0,
  maxVersion: 2,
  request: {
    name: 'SaslAuthenticateRequest',
    type: 'request',
    apiKey: 36,
    validVersions: '0-2',
    flexibleVersions: '2+',
    fields: [{ name: 'authBytes', type: 'bytes', versions: '0+' }],
  },
  response: {
    name: 'SaslAuthenticateResponse',
    type: 'response',
    apiKey: 36,
    validVersions: '0-2',
    flexibleVersions: '2+',
    fields: [
      { name: 'errorCode', type: 'int16', versions: '0+' },
      { name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+' },
      { name: 'authBytes', type: 'bytes', versions: '0+' },
      { name: 'sessionLifetimeMs', type: 'int64', versions: '1+', default: '0' },
    ],
  },
} as const satisfies ApiSpec;
