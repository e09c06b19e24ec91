/**
 * kafka-rx: a Kafka client for TypeScript whose consumer is built from RxJS streams.
 * The test kit (fake cluster, marble helpers) is the separate entry point `kafka-rx/testing`.
 */
export * from './consumer';
export * from './producer';
export * from './admin';
export * from './serde';
export * from './pipelines';
export {
  createTcpTransport,
  createMemoryTransport,
  type BrokerAddress,
  type FrameHandler,
  type RequestOptions,
  type TcpTransportOptions,
  type MemoryTransportOptions,
  type SaslOptions,
  type Transport,
  type TransportEvent,
} from './transport';
export { createCluster, type Cluster, type ClusterOptions } from './cluster';
// Every error class kafka-rx raises, so that `instanceof` works (see the README, "Errors").
export { KafkaRxError } from './errors';
export { ConfigError } from './config/config-error';
export { BootstrapError, BrokerNotAvailableError, ClusterClosedError } from './cluster/errors';
export {
  AuthenticationError,
  ConnectionError,
  FramingError,
  RequestTimeoutError,
  TlsError,
  UnsupportedVersionError,
} from './transport/errors';
export { KafkaProtocolError, ErrorCode, protocolError, DecodeError, EncodeError } from './protocol/errors';
export { CorruptRecordError, UnsupportedMessageFormatError } from './protocol/records/errors';
export type { Compression, RecordHeader } from './protocol/records';
export { type Clock, defaultClock } from './time';
