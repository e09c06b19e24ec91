/**
 * kafka-rx: a Kafka client for TypeScript whose consumer is built from RxJS streams.
 * The test kit (fake cluster, marble helpers) is the separate entry point `kafka-rx/testing`.
 */
export * from './consumer';
export * from './producer';
export * from './admin';
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
export { KafkaRxError } from './errors';
export { KafkaProtocolError, ErrorCode, protocolError, DecodeError } from './protocol/errors';
export type { Compression, RecordHeader } from './protocol/records';
export { type Clock, defaultClock } from './time';
