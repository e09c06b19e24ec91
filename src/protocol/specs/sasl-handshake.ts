import type { ApiSpec } from '../spec';

/**
 * SaslHandshake (key 17): picks the SASL mechanism. From v1 the SASL exchange that follows travels in
 * SaslAuthenticate requests.
 */
export const SaslHandshake = {
  name: 'SaslHandshake',
  apiKey: 17,
  minVersion: 0,
  maxVersion: 1,
  request: {
    name: 'SaslHandshakeRequest',
    type: 'request',
    apiKey: 17,
    validVersions: '0-1',
    flexibleVersions: 'none',
    fields: [{ name: 'mechanism', type: 'string', versions: '0+' }],
  },
  response: {
    name: 'SaslHandshakeResponse',
    type: 'response',
    apiKey: 17,
    validVersions: '0-1',
    flexibleVersions: 'none',
    fields: [
      { name: 'errorCode', type: 'int16', versions: '0+' },
      { name: 'mechanisms', type: '[]string', versions: '0+' },
    ],
  },
} as const satisfies ApiSpec;
