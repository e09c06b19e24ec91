import type { ApiSpec } from '../spec';

/**
 * InitProducerId (key 22): obtains a producer id and epoch, for idempotence and transactions.
 */
export const InitProducerId = {
  name: 'InitProducerId',
  apiKey: 22,
  minVersion: 0,
  maxVersion: 5,
  request: {
    name: 'InitProducerIdRequest',
    type: 'request',
    apiKey: 22,
    validVersions: '0-5',
    flexibleVersions: '2+',
    fields: [
      { name: 'transactionalId', type: 'string', versions: '0+', nullableVersions: '0+' },
      { name: 'transactionTimeoutMs', type: 'int32', versions: '0+' },
      { name: 'producerId', type: 'int64', versions: '3+', default: '-1' },
      { name: 'producerEpoch', type: 'int16', versions: '3+', default: '-1' },
    ],
  },
  response: {
    name: 'InitProducerIdResponse',
    type: 'response',
    apiKey: 22,
    validVersions: '0-5',
    flexibleVersions: '2+',
    fields: [
      { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
      { name: 'errorCode', type: 'int16', versions: '0+' },
      { name: 'producerId', type: 'int64', versions: '0+', default: -1 },
      { name: 'producerEpoch', type: 'int16', versions: '0+' },
    ],
  },
} as const satisfies ApiSpec;
