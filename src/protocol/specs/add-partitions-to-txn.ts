import type { ApiSpec } from '../spec';

/**
 * AddPartitionsToTxn (key 24): adds partitions to an ongoing transaction. Clients use v0-3 (one
 * transaction); v4+ batches transactions and is meant for brokers.
 */
export const AddPartitionsToTxn = {
  name: 'AddPartitionsToTxn',
  apiKey: 24,
  minVersion: 0,
  maxVersion: 5,
  request: {
    name: 'AddPartitionsToTxnRequest',
    type: 'request',
    apiKey: 24,
    validVersions: '0-5',
    flexibleVersions: '3+',
    fields: [
      {
        name: 'transactions',
        type: '[]AddPartitionsToTxnTransaction',
        versions: '4+',
        fields: [
          { name: 'transactionalId', type: 'string', versions: '4+' },
          { name: 'producerId', type: 'int64', versions: '4+' },
          { name: 'producerEpoch', type: 'int16', versions: '4+' },
          { name: 'verifyOnly', type: 'bool', versions: '4+', default: false },
          {
            name: 'topics',
            type: '[]AddPartitionsToTxnTopic',
            versions: '4+',
            fields: [
              { name: 'name', type: 'string', versions: '0+' },
              { name: 'partitions', type: '[]int32', versions: '0+' },
            ],
          },
        ],
      },
      { name: 'v3AndBelowTransactionalId', type: 'string', versions: '0-3' },
      { name: 'v3AndBelowProducerId', type: 'int64', versions: '0-3' },
      { name: 'v3AndBelowProducerEpoch', type: 'int16', versions: '0-3' },
      {
        name: 'v3AndBelowTopics',
        type: '[]AddPartitionsToTxnTopic',
        versions: '0-3',
        fields: [
          { name: 'name', type: 'string', versions: '0+' },
          { name: 'partitions', type: '[]int32', versions: '0+' },
        ],
      },
    ],
  },
  response: {
    name: 'AddPartitionsToTxnResponse',
    type: 'response',
    apiKey: 24,
    validVersions: '0-5',
    flexibleVersions: '3+',
    fields: [
      { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
      { name: 'errorCode', type: 'int16', versions: '4+' },
      {
        name: 'resultsByTransaction',
        type: '[]AddPartitionsToTxnResult',
        versions: '4+',
        fields: [
          { name: 'transactionalId', type: 'string', versions: '4+' },
          {
            name: 'topicResults',
            type: '[]AddPartitionsToTxnTopicResult',
            versions: '4+',
            fields: [
              { name: 'name', type: 'string', versions: '0+' },
              {
                name: 'resultsByPartition',
                type: '[]AddPartitionsToTxnPartitionResult',
                versions: '0+',
                fields: [
                  { name: 'partitionIndex', type: 'int32', versions: '0+' },
                  { name: 'partitionErrorCode', type: 'int16', versions: '0+' },
                ],
              },
            ],
          },
        ],
      },
      {
        name: 'resultsByTopicV3AndBelow',
        type: '[]AddPartitionsToTxnTopicResult',
        versions: '0-3',
        fields: [
          { name: 'name', type: 'string', versions: '0+' },
          {
            name: 'resultsByPartition',
            type: '[]AddPartitionsToTxnPartitionResult',
            versions: '0+',
            fields: [
              { name: 'partitionIndex', type: 'int32', versions: '0+' },
              { name: 'partitionErrorCode', type: 'int16', versions: '0+' },
            ],
          },
        ],
      },
    ],
  },
} as const satisfies ApiSpec;
