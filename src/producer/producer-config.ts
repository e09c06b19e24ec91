import type { Cluster } from '../cluster/cluster';
import type { Clock } from '../time/clock';
import { defaultClock } from '../time/clock';
import type { ClientConnectionOptions } from '../transport/default-transport';
import { checkOptionNames, ConfigError, integerOption, type OptionNames } from '../config';
import { describeValue } from '../config/describe-value';
import type { Partitioner } from './partitioner';
import type { Serializers } from '../serde/serializer';
import type { AnySerializers } from './serialize-records';

/** Record batch compression codecs. */
export type CompressionCodec = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';

/** How many replicas must have a batch before the broker answers: none, the leader, or all in-sync replicas. */
export type Acks = 0 | 1 | -1 | 'all';

/** Configuration of `createProducer`; `K`, `V` and `H` are what its serializers take. */
export interface ProducerConfig<
  K = Buffer | string,
  V = Buffer | string,
  H = Buffer | string,
> extends ClientConnectionOptions {
  /** Bootstrap brokers, `host:port`. */
  readonly brokers: readonly string[];
  readonly clock?: Clock;
  /** An existing cluster view to share (e.g. with a consumer); the producer then does not close it. */
  readonly cluster?: Cluster;
  readonly clientId?: string;
  /** Default `'none'`. */
  readonly compression?: CompressionCodec;
  /** Default `'all'` (-1). */
  readonly acks?: Acks;
  /** How long a batch waits for more records before it is sent. Default 5 ms (Java client 4.0's default). */
  readonly lingerMs?: number;
  /** A batch is sent as soon as it holds this many bytes (uncompressed). Default 16384. */
  readonly batchBytes?: number;
  /** Produce requests in flight per broker. Default 5 (the most an idempotent producer may have). */
  readonly maxInFlightPerBroker?: number;
  /** Retries of a batch after retriable errors. Default: unbounded, limited by `deliveryTimeoutMs` (as the Java client). */
  readonly retries?: number;
  /** Wait before a retry. Default 100 ms. */
  readonly retryBackoffMs?: number;
  /** Timeout of each request, and the broker-side timeout of a Produce. Default 30000 ms. */
  readonly requestTimeoutMs?: number;
  /** A record fails if it is not acknowledged within this long of being sent. Default 120000 ms. */
  readonly deliveryTimeoutMs?: number;
  /**
   * How long `send` waits for a topic's metadata (a topic that does not exist, a cluster that
   * cannot be reached), or for room in `bufferMemory`, before its result fails naming the cause.
   * Default 60000 ms.
   */
  readonly maxBlockMs?: number;
  /**
   * How long `close()` waits for pending sends; then they fail with a `ProducerClosedError` and
   * close resolves. Default 10000 ms.
   */
  readonly closeTimeoutMs?: number;
  /**
   * Idempotent producer: a producer id and per-partition sequence numbers, so retries never write
   * twice. As in the Java client 3.x it is on by default, unless acks is not `all` (then it is off,
   * and asking for it explicitly is a `ConfigError`).
   */
  readonly idempotent?: boolean;
  /** The largest Produce request, and so the largest record. Default 1 MiB. */
  readonly maxRequestSize?: number;
  /**
   * Bytes of records the producer holds until they are acknowledged (the Java client's
   * `buffer.memory`). Records sent beyond it wait, and the `produce` operator takes no more values,
   * until acknowledgements free room; a send that waits longer than `maxBlockMs` fails with a
   * `BufferExhaustedError`. A record larger than this is refused. Default 32 MiB.
   */
  readonly bufferMemory?: number;
  /**
   * Makes the producer transactional: records are sent inside `beginTransaction()` ...
   * `commitTransaction()` / `abortTransaction()`, and become visible to `read_committed` consumers
   * together or not at all. The id names the producer across restarts: a new producer with the
   * same id fences the old one and aborts its open transaction. Needs idempotence (acks `all`).
   */
  readonly transactionalId?: string;
  /** How long the coordinator lets a transaction stay open before aborting it. Default 60000 ms. */
  readonly transactionTimeoutMs?: number;
  /** Chooses partitions for records without one. Default: murmur2 for keys, sticky (KIP-480) for the rest. */
  readonly partitioner?: Partitioner;
  /** How long a cluster that never answered is tried before sends fail with `BootstrapError`. Default 10000 ms. */
  readonly bootstrapTimeoutMs?: number;
  /**
   * How keys, values and header values of type `K`, `V` and `H` become bytes
   * (`serializers.string`, `serializers.json<T>()`, or functions of your own); parts left out are
   * sent as given. A serializer that throws refuses the send with a `SerializationError`.
   */
  readonly serializers?: Serializers<K, V, H>;
}

/** A `ProducerConfig` with every default filled in and checked. */
export interface ResolvedProducerConfig {
  /** As the transport sends it; also names the producer on the diagnostics channels. */
  readonly clientId: string;
  /** undefined when none is configured: records are sent as given. */
  readonly serializers: AnySerializers | undefined;
  readonly clock: Clock;
  readonly compression: CompressionCodec;
  readonly acks: 0 | 1 | -1;
  readonly lingerMs: number;
  readonly batchBytes: number;
  readonly maxInFlightPerBroker: number;
  readonly retries: number;
  readonly retryBackoffMs: number;
  readonly requestTimeoutMs: number;
  readonly deliveryTimeoutMs: number;
  readonly maxBlockMs: number;
  readonly closeTimeoutMs: number;
  readonly idempotent: boolean;
  /** null for a producer without transactions. */
  readonly transactionalId: string | null;
  readonly transactionTimeoutMs: number;
  readonly maxRequestSize: number;
  readonly bufferMemory: number;
}

const CODECS: readonly CompressionCodec[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

/** Every option name `createProducer` knows; the compiler keeps it in step with `ProducerConfig`. */
const producerOptions: OptionNames<ProducerConfig> = {
  brokers: true,
  clock: true,
  transport: true,
  tls: true,
  sasl: true,
  cluster: true,
  clientId: true,
  compression: true,
  acks: true,
  lingerMs: true,
  batchBytes: true,
  maxInFlightPerBroker: true,
  retries: true,
  retryBackoffMs: true,
  requestTimeoutMs: true,
  deliveryTimeoutMs: true,
  maxBlockMs: true,
  idempotent: true,
  maxRequestSize: true,
  bufferMemory: true,
  transactionalId: true,
  transactionTimeoutMs: true,
  partitioner: true,
  bootstrapTimeoutMs: true,
  closeTimeoutMs: true,
  serializers: true,
};
const serializerOptions: OptionNames<Serializers> = { key: true, value: true, headers: true };

/** The serializers, checked: an object of functions, or undefined. */
function resolveSerializers(serializers: AnySerializers | undefined): AnySerializers | undefined {
  if (serializers === undefined) return undefined;
  if (typeof serializers !== 'object' || serializers === null)
    throw new ConfigError(`serializers must be { key, value, headers }, got ${describeValue(serializers)}`);
  checkOptionNames('createProducer', serializers, serializerOptions, 'serializers.');
  for (const part of ['key', 'value', 'headers'] as const) {
    const f = serializers[part];
    if (f !== undefined && typeof f !== 'function')
      throw new ConfigError(
        `serializers.${part} must be a function (data, context) => Buffer | string, got ${describeValue(f)}`,
      );
  }
  return Object.values(serializers).some((f) => f !== undefined) ? serializers : undefined;
}

function count(name: string, value: number | undefined, fallback: number, min: number): number {
  return integerOption(name, value, fallback, min, Number.MAX_SAFE_INTEGER);
}

/** Fills in defaults and rejects unknown, bad or conflicting options with a `ConfigError`. */
export function resolveProducerConfig(config: ProducerConfig<any, any, any>): ResolvedProducerConfig {
  checkOptionNames('createProducer', config, producerOptions);
  if (config.idempotent !== undefined && typeof config.idempotent !== 'boolean')
    throw new ConfigError(`idempotent must be true or false, got ${describeValue(config.idempotent)}`);
  const acks = config.acks === 'all' || config.acks === undefined ? -1 : config.acks;
  if (acks !== 0 && acks !== 1 && acks !== -1)
    throw new ConfigError(`acks must be 0, 1, -1 or 'all', got ${describeValue(config.acks)}`);
  const compression = config.compression ?? 'none';
  if (!CODECS.includes(compression)) {
    throw new ConfigError(
      `compression must be one of ${CODECS.join(', ')}, got ${describeValue(compression)}`,
    );
  }
  const transactionalId = config.transactionalId ?? null;
  if (transactionalId !== null) {
    if (typeof transactionalId !== 'string' || transactionalId.length === 0)
      throw new ConfigError(
        `transactionalId must be a non-empty string, not ${JSON.stringify(transactionalId)}`,
      );
    if (config.idempotent === false)
      throw new ConfigError('a transactional producer is idempotent: idempotent cannot be false');
    if (acks !== -1) throw new ConfigError(`a transactional producer needs acks='all', not ${acks}`);
  }
  const idempotent = config.idempotent ?? acks === -1;
  if (idempotent && acks !== -1) {
    throw new ConfigError(`an idempotent producer needs acks='all', not ${acks}`);
  }
  const maxInFlightPerBroker = count('maxInFlightPerBroker', config.maxInFlightPerBroker, 5, 1);
  if (idempotent && maxInFlightPerBroker > 5) {
    throw new ConfigError(
      `an idempotent producer allows at most 5 requests in flight per broker, not ${maxInFlightPerBroker}`,
    );
  }
  const requestTimeoutMs = count('requestTimeoutMs', config.requestTimeoutMs, 30000, 1);
  return {
    clientId: config.clientId ?? 'kafka-rx',
    serializers: resolveSerializers(config.serializers),
    clock: config.clock ?? defaultClock,
    compression,
    acks,
    lingerMs: count('lingerMs', config.lingerMs, 5, 0),
    batchBytes: count('batchBytes', config.batchBytes, 16384, 1),
    maxInFlightPerBroker,
    retries: count('retries', config.retries, Number.MAX_SAFE_INTEGER, 0),
    retryBackoffMs: count('retryBackoffMs', config.retryBackoffMs, 100, 0),
    requestTimeoutMs,
    deliveryTimeoutMs: count('deliveryTimeoutMs', config.deliveryTimeoutMs, 120000, 1),
    maxBlockMs: count('maxBlockMs', config.maxBlockMs, 60000, 0),
    closeTimeoutMs: count('closeTimeoutMs', config.closeTimeoutMs, 10000, 0),
    idempotent,
    transactionalId,
    transactionTimeoutMs: count('transactionTimeoutMs', config.transactionTimeoutMs, 60000, 1),
    maxRequestSize: count('maxRequestSize', config.maxRequestSize, 1024 * 1024, 1),
    bufferMemory: count('bufferMemory', config.bufferMemory, 32 * 1024 * 1024, 1),
  };
}
