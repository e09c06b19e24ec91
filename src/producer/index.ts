export { createProducer } from './create-producer';
export { createProducerOn, type ProducerDeps } from './producer';
export type { Producer } from './types';
export { produce } from './produce';
export type { Acks, CompressionCodec, ProducerConfig } from './producer-config';
export type { ProducerRecord, ProducerRecordHeaders, RecordMetadata } from './producer-record';
export { createDefaultPartitioner, partitionForKey, type Partitioner } from './partitioner';
export { murmur2, toPositive } from './murmur2';
export {
  BufferExhaustedError,
  DeliveryTimeoutError,
  InvalidRecordError,
  ProducerClosedError,
  ProducerConfigError,
  RecordTooLargeError,
} from './errors';
export { ProducerFencedError, TransactionAbortedError, TransactionStateError } from './transaction-errors';
export type { GroupMetadata, TransactionOffset, TransactionState } from './transaction-types';
