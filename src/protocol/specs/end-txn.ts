import type { ApiSpec } from '../spec';

/**
 * EndTxn (key 26): commits or aborts a transaction. v5 (KIP-890: every EndTxn bumps the epoch) is
 * marked unstable in this Kafka definition, but Kafka 4 brokers offer it (4.4 does), and kafka-rx
 * then uses it.
 */
export const EndTxn = {
  name: 'EndTxn',
  apiKey: 26,
  minVersion: 0,
  maxVersion: 5,
  request: {
    name: 'EndTxnRequest',
    type: 'request',
    apiKey: 26,
    validVersions: '0-5',
    flexibleVersions: '3+',
    fields: [
      { name: 'transactionalId', type: 'string', versions: '0+' },
      { name: 'producerId', type: 'int64', versions: '0+' },
      { name: 'producerEpoch', type: 'int16', versions: '0+' },
      { name: 'committed', type: 'bool', versions: '0+' },
    ],
  },
  response: {
    name: 'EndTxnResponse',
    type: 'response',
    apiKey: 26,
    validVersions: '0-5',
    flexibleVersions: '3+',
    fields: [
      { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
      { name: 'errorCode', type: 'int16', versions: '0+' },
      { name: 'producerId', type: 'int64', versions: '5+', default: '-1' },
      { name: 'producerEpoch', type: 'int16', versions: '5+', default: '-1' },
    ],
  },
} as const satisfies ApiSpec;
