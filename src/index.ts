/**
 * kafka-rx: a Kafka client for TypeScript whose consumer is built from RxJS streams.
 * The test kit (fake cluster, marble helpers) is the separate entry point `kafka-rx/testing`.
 */
import type {
  CommitTrace as CommitTraceOf,
  ProcessTrace as ProcessTraceOf,
  ProduceSendTrace as ProduceSendTraceOf,
  RebalanceMessage as RebalanceMessageOf,
} from './diagnostics';
import type { CommitResult, ConsumerRecord, TopicPartition, TopicPartitionOffset } from './consumer';
import type { ProducerRecord, RecordMetadata } from './producer';
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
  type SaslMechanism,
  type SaslContext,
  type SaslSession,
  type OAuthBearerToken,
  type OAuthBearerTokenProvider,
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
// node:diagnostics_channel names and payloads (see the README, "Observability").
export {
  CHANNEL_PREFIX,
  channelNames,
  type ConnectTrace,
  type FetchTrace,
  type ProduceBatchTrace,
  type RequestTrace,
  type TracedBatch,
  type TracedBroker,
} from './diagnostics';
/** `kafka-rx:produce.send`: records as given to `send`, metadata as it resolves. */
export type ProduceSendTrace = ProduceSendTraceOf<ProducerRecord, RecordMetadata>;
/** `kafka-rx:commit`: offsets as given to `commit` (null: all consumed), the result as on `commits$`. */
export type CommitTrace = CommitTraceOf<TopicPartitionOffset, CommitResult>;
/** `kafka-rx:process`: the record handed to `processRecords`' handler. */
export type ProcessTrace = ProcessTraceOf<ConsumerRecord>;
/** `kafka-rx:rebalance`: the partitions of a `rebalances$` event. */
export type RebalanceMessage = RebalanceMessageOf<TopicPartition>;
export {
  clientMetrics,
  type ClientMetricsOptions,
  type ClientMetricsSnapshot,
  type RequestLatency,
  type Throughput,
} from './metrics';
