import type { ApiSpec } from '../spec';

/**
 * AddOffsetsToTxn (key 25): adds a group's offset commit to an ongoing transaction.
 */
export const AddOffsetsToTxn = {
  name: 'AddOffsetsToTxn',
  apiKey: 25,
  minVersion: 0,
  maxVersion: 4,
  request: {
    name: 'AddOffsetsToTxnRequest',
    type: 'request',
    apiKey: 25,
    validVersions: '0-4',
    flexibleVersions: '3+',
    fields: [
      { name: 'transactionalId', type: 'string', versions: '0+' },
      { name: 'producerId', type: 'int64', versions: '0+' },
      { name: 'producerEpoch', type: 'int16', versions: '0+' },
      { name: 'groupId', type: 'string', versions: '0+' },
    ],
  },
  response: {
    name: 'AddOffsetsToTxnResponse',
    type: 'response',
    apiKey: 25,
    validVersions: '0-4',
    flexibleVersions: '3+',
    fields: [
      { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
      { name: 'errorCode', type: 'int16', versions: '0+' },
    ],
  },
} as const satisfies ApiSpec;
