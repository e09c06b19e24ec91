import type { Assignor } from './assignors/assignor';
import { resolveAssignors } from './assignors';
import { defaultClock, type Clock } from '../time/clock';
import type { ClientConnectionOptions } from '../transport/default-transport';
import type { Transport } from '../transport/transport';
import { booleanOption, checkOptionNames, integerOption, stringOption, type OptionNames } from '../config';
import { describeValue } from '../config/describe-value';
import { configError } from './errors';
import type { Deserializers } from '../serde/deserializer';
import type { AnyDeserializers } from './deserialize-record';

/** Which consumer group protocol a consumer speaks. */
export type GroupProtocol = 'classic' | 'consumer';

/** How records count as done for auto-commit: when delivered (`auto`) or when `record.ack()` is called (`manual`). */
export type AckMode = 'auto' | 'manual';

/** Fetch request sizes and wait, as the Java consumer names them (fetch.min.bytes and so on). */
export interface FetchConfig {
  /** Least data the broker should wait for before answering (default 1). */
  readonly minBytes?: number;
  /** Most data per Fetch response (default 50 MiB). */
  readonly maxBytes?: number;
  /** Most data per partition per Fetch response (default 1 MiB). */
  readonly maxPartitionBytes?: number;
  /** Longest the broker waits for `minBytes` (default 500 ms). */
  readonly maxWaitMs?: number;
}

/** Configuration of `createConsumer`; `K`, `V` and `H` are what its deserializers make. */
export interface ConsumerConfig<K = Buffer, V = Buffer, H = Buffer> extends ClientConnectionOptions {
  /** Bootstrap brokers, `host:port`. */
  readonly brokers: readonly string[];
  readonly groupId: string;
  /** Topics to consume; give this or `topicPattern`. */
  readonly topics?: readonly string[];
  /** Consume every topic whose name matches (checked again on every metadata refresh). */
  readonly topicPattern?: RegExp;
  /** Where to start when the group has no committed offset: the earliest offset (true) or the latest (false, default). */
  readonly fromBeginning?: boolean;
  /** Periodic commits of consumed offsets (default `{ intervalMs: 5000, ackMode: 'auto' }`), or `false` for none. */
  readonly autoCommit?: false | { readonly intervalMs?: number; readonly ackMode?: AckMode };
  /**
   * The group protocol: `classic` (JoinGroup/SyncGroup/Heartbeat, assignment computed by a member;
   * the default) or `consumer` (KIP-848, Kafka 4.0+: ConsumerGroupHeartbeat only, assignment
   * computed by the broker). See the README, "Group protocols".
   */
  readonly groupProtocol?: GroupProtocol;
  /**
   * `groupProtocol: 'consumer'` only: the broker's assignor (`uniform` or `range` on Kafka 4;
   * default: the broker's first one, group.consumer.assignors).
   */
  readonly groupRemoteAssignor?: string;
  /** Default 45000. Classic protocol only (under `consumer` the broker's group.consumer.session.timeout.ms). */
  readonly sessionTimeoutMs?: number;
  /** Default 3000; must be below sessionTimeoutMs. Classic protocol only (under `consumer` the broker sets it). */
  readonly heartbeatIntervalMs?: number;
  /** How long the coordinator waits for members to rejoin; default `maxPollIntervalMs`, as in the Java client. */
  readonly rebalanceTimeoutMs?: number;
  /** Leave the group when the application takes no waiting record for this long (default 300000). */
  readonly maxPollIntervalMs?: number;
  /** The scheduler every timer runs on (default `asyncScheduler`). */
  readonly clock?: Clock;
  /** Default `kafka-rx`. */
  readonly clientId?: string;
  /**
   * Partition assignors in order of preference: names of built-in ones (`range`, `roundrobin`,
   * `cooperative-sticky`) or `Assignor` objects. Default `['range']`: eager and understood by
   * every other client (the Java client's default adds `cooperative-sticky`, but one list may not
   * mix eager and cooperative assignors here). Classic protocol only: under `consumer` the broker
   * assigns (see `groupRemoteAssignor`).
   */
  readonly assignors?: ReadonlyArray<string | Assignor>;
  /** Static membership (KIP-345): a stable identity that survives restarts without a rebalance. */
  readonly groupInstanceId?: string;
  /** Default `read_committed`: records of aborted transactions are skipped. */
  readonly isolationLevel?: 'read_committed' | 'read_uncommitted';
  readonly fetch?: FetchConfig;
  /** Bytes buffered per partition before fetching it stops (default 2 MiB). */
  readonly partitionBufferBytes?: number;
  /** First wait before retrying after an error (default 100 ms); doubles up to `retryBackoffMaxMs` (default 1000 ms). */
  readonly retryBackoffMs?: number;
  readonly retryBackoffMaxMs?: number;
  /** How often `topicPattern` subscriptions look for new topics (default 300000). */
  readonly metadataMaxAgeMs?: number;
  /** Longest `close()` waits for its commit and LeaveGroup before it gives them up (default 10000). */
  readonly closeTimeoutMs?: number;
  /**
   * How long a cluster that never answered is tried before `messages$` fails with a
   * `BootstrapError` (default 10000). A cluster reached once is retried for as long as it runs.
   */
  readonly bootstrapTimeoutMs?: number;
  /**
   * How keys, values and header values become `K`, `V` and `H` (`deserializers.string`,
   * `deserializers.json<T>()`, or functions of your own); parts left out stay `Buffer`. A record a
   * deserializer refuses is delivered with `error` set, and announced on `events$`.
   */
  readonly deserializers?: Deserializers<K, V, H>;
}

/** A validated configuration with every default filled in. */
export interface ResolvedConsumerConfig {
  readonly brokers: readonly string[];
  readonly groupId: string;
  readonly topics: readonly string[] | null;
  readonly topicPattern: RegExp | null;
  readonly fromBeginning: boolean;
  /** null when auto-commit is off. */
  readonly autoCommitIntervalMs: number | null;
  readonly ackMode: AckMode;
  readonly groupProtocol: GroupProtocol;
  /** null: the broker's default. */
  readonly groupRemoteAssignor: string | null;
  readonly sessionTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  readonly rebalanceTimeoutMs: number;
  readonly maxPollIntervalMs: number;
  readonly clock: Clock;
  readonly transport: Transport | undefined;
  readonly clientId: string;
  readonly assignors: readonly Assignor[];
  readonly groupInstanceId: string | null;
  readonly isolationLevel: 0 | 1;
  readonly minBytes: number;
  readonly maxBytes: number;
  readonly maxPartitionBytes: number;
  readonly maxWaitMs: number;
  readonly partitionBufferBytes: number;
  readonly retryBackoffMs: number;
  readonly retryBackoffMaxMs: number;
  readonly metadataMaxAgeMs: number;
  readonly closeTimeoutMs: number;
  readonly bootstrapTimeoutMs: number;
  /** undefined when none is configured: records are made as fetched. */
  readonly deserializers: AnyDeserializers | undefined;
}

const MiB = 1024 * 1024;

/** Every option name `createConsumer` knows; the compiler keeps it in step with `ConsumerConfig`. */
const consumerOptions: OptionNames<ConsumerConfig> = {
  brokers: true,
  groupId: true,
  topics: true,
  topicPattern: true,
  fromBeginning: true,
  autoCommit: true,
  groupProtocol: true,
  groupRemoteAssignor: true,
  sessionTimeoutMs: true,
  heartbeatIntervalMs: true,
  rebalanceTimeoutMs: true,
  maxPollIntervalMs: true,
  clock: true,
  transport: true,
  tls: true,
  sasl: true,
  clientId: true,
  assignors: true,
  groupInstanceId: true,
  isolationLevel: true,
  fetch: true,
  partitionBufferBytes: true,
  retryBackoffMs: true,
  retryBackoffMaxMs: true,
  metadataMaxAgeMs: true,
  closeTimeoutMs: true,
  bootstrapTimeoutMs: true,
  deserializers: true,
};
const deserializerOptions: OptionNames<Deserializers> = { key: true, value: true, headers: true };
const autoCommitOptions: OptionNames<Exclude<ConsumerConfig['autoCommit'], false | undefined>> = {
  intervalMs: true,
  ackMode: true,
};
const fetchOptions: OptionNames<FetchConfig> = {
  minBytes: true,
  maxBytes: true,
  maxPartitionBytes: true,
  maxWaitMs: true,
};

const integer = integerOption;

/** Options the broker decides under the consumer group protocol: refused there, as the Java client does. */
const classicOnlyOptions = ['sessionTimeoutMs', 'heartbeatIntervalMs', 'assignors'] as const;

function resolveRemoteAssignor(config: ConsumerConfig, groupProtocol: GroupProtocol): string | null {
  if (groupProtocol === 'classic') {
    if (config.groupRemoteAssignor !== undefined)
      throw configError(
        "groupRemoteAssignor is for groupProtocol: 'consumer' (the classic protocol uses assignors)",
      );
    return null;
  }
  for (const option of classicOnlyOptions) {
    if (config[option] !== undefined)
      throw configError(
        `${option} is not supported with groupProtocol: 'consumer' (the broker sets it; it is for the classic protocol)`,
      );
  }
  const assignor = config.groupRemoteAssignor;
  if (assignor === undefined) return null;
  if (typeof assignor !== 'string' || assignor === '')
    throw configError(
      `groupRemoteAssignor must be a non-empty string such as 'uniform' or 'range', got ${describeValue(assignor)}`,
    );
  return assignor;
}

/** The deserializers, checked: an object of functions, or undefined. */
export function resolveDeserializers(
  deserializers: Deserializers<unknown, unknown, unknown> | undefined,
  client = 'createConsumer',
): AnyDeserializers | undefined {
  if (deserializers === undefined) return undefined;
  if (typeof deserializers !== 'object' || deserializers === null)
    throw configError(`deserializers must be { key, value, headers }, got ${describeValue(deserializers)}`);
  checkOptionNames(client, deserializers, deserializerOptions, 'deserializers.');
  for (const part of ['key', 'value', 'headers'] as const) {
    const f = deserializers[part];
    if (f !== undefined && typeof f !== 'function')
      throw configError(
        `deserializers.${part} must be a function (data, context) => value, got ${describeValue(f)}`,
      );
  }
  return Object.values(deserializers).some((f) => f !== undefined) ? deserializers : undefined;
}

/** Checks a consumer configuration and fills in defaults; throws a `ConfigError` naming the bad setting. */
export function resolveConsumerConfig(
  config: ConsumerConfig<unknown, unknown, unknown>,
): ResolvedConsumerConfig {
  checkOptionNames('createConsumer', config, consumerOptions);
  if (!Array.isArray(config.brokers) || config.brokers.length === 0) {
    throw configError('brokers: give at least one bootstrap broker as "host:port"');
  }
  for (const broker of config.brokers) {
    if (typeof broker !== 'string' || !/^.+:\d+$/.test(broker))
      throw configError(`brokers: ${describeValue(broker)} is not "host:port"`);
  }
  if (typeof config.groupId !== 'string' || config.groupId === '')
    throw configError(`groupId must be a non-empty string, got ${describeValue(config.groupId)}`);
  const hasTopics = config.topics !== undefined;
  const hasPattern = config.topicPattern !== undefined;
  if (hasTopics && hasPattern) throw configError('give either topics or topicPattern, not both');
  if (!hasTopics && !hasPattern)
    throw configError('no topics: give topics (a list of names) or topicPattern (a RegExp)');
  if (hasTopics) {
    if (!Array.isArray(config.topics) || config.topics.length === 0)
      throw configError('topics: give at least one topic name');
    for (const t of config.topics)
      if (typeof t !== 'string' || t === '')
        throw configError(`topics: ${describeValue(t)} is not a topic name`);
  }
  if (hasPattern && !(config.topicPattern instanceof RegExp))
    throw configError(`topicPattern must be a RegExp, got ${describeValue(config.topicPattern)}`);

  const groupProtocol = config.groupProtocol ?? 'classic';
  if (groupProtocol !== 'classic' && groupProtocol !== 'consumer')
    throw configError(`groupProtocol must be 'classic' or 'consumer', got ${describeValue(groupProtocol)}`);
  const groupRemoteAssignor = resolveRemoteAssignor(config, groupProtocol);

  const sessionTimeoutMs = integer('sessionTimeoutMs', config.sessionTimeoutMs, 45000, 1);
  const heartbeatIntervalMs = integer('heartbeatIntervalMs', config.heartbeatIntervalMs, 3000, 1);
  if (heartbeatIntervalMs >= sessionTimeoutMs) {
    throw configError(
      `heartbeatIntervalMs (${heartbeatIntervalMs}) must be lower than sessionTimeoutMs (${sessionTimeoutMs})`,
    );
  }
  const maxPollIntervalMs = integer('maxPollIntervalMs', config.maxPollIntervalMs, 300000, 1);
  const rebalanceTimeoutMs = integer('rebalanceTimeoutMs', config.rebalanceTimeoutMs, maxPollIntervalMs, 1);

  let autoCommitIntervalMs: number | null = 5000;
  let ackMode: AckMode = 'auto';
  if (config.autoCommit === false) autoCommitIntervalMs = null;
  else if (config.autoCommit !== undefined) {
    if (typeof config.autoCommit !== 'object' || config.autoCommit === null)
      throw configError(
        `autoCommit must be false or { intervalMs, ackMode }, got ${describeValue(config.autoCommit)}`,
      );
    checkOptionNames('createConsumer', config.autoCommit, autoCommitOptions, 'autoCommit.');
    autoCommitIntervalMs = integer('autoCommit.intervalMs', config.autoCommit.intervalMs, 5000, 1);
    if (config.autoCommit.ackMode !== undefined) {
      if (config.autoCommit.ackMode !== 'auto' && config.autoCommit.ackMode !== 'manual') {
        throw configError(
          `autoCommit.ackMode must be 'auto' or 'manual', got ${describeValue(config.autoCommit.ackMode)}`,
        );
      }
      ackMode = config.autoCommit.ackMode;
    }
  }

  const isolation = config.isolationLevel ?? 'read_committed';
  if (isolation !== 'read_committed' && isolation !== 'read_uncommitted') {
    throw configError(
      `isolationLevel must be 'read_committed' or 'read_uncommitted', got ${describeValue(isolation)}`,
    );
  }
  if (
    config.groupInstanceId !== undefined &&
    (typeof config.groupInstanceId !== 'string' || config.groupInstanceId === '')
  ) {
    throw configError(
      `groupInstanceId must be a non-empty string, got ${describeValue(config.groupInstanceId)}`,
    );
  }
  if (config.assignors !== undefined && !Array.isArray(config.assignors))
    throw configError(
      `assignors must be a list of names or Assignor objects, got ${describeValue(config.assignors)}`,
    );
  const fetch = config.fetch ?? {};
  checkOptionNames('createConsumer', fetch, fetchOptions, 'fetch.');
  const maxBytes = integer('fetch.maxBytes', fetch.maxBytes, 50 * MiB, 1);
  const maxPartitionBytes = integer('fetch.maxPartitionBytes', fetch.maxPartitionBytes, 1 * MiB, 1);
  const retryBackoffMs = integer('retryBackoffMs', config.retryBackoffMs, 100, 0);

  return {
    brokers: [...config.brokers],
    groupId: config.groupId,
    topics: hasTopics ? [...new Set(config.topics)] : null,
    topicPattern: config.topicPattern ?? null,
    fromBeginning: booleanOption('fromBeginning', config.fromBeginning, false),
    autoCommitIntervalMs,
    ackMode,
    groupProtocol,
    groupRemoteAssignor,
    sessionTimeoutMs,
    heartbeatIntervalMs,
    rebalanceTimeoutMs,
    maxPollIntervalMs,
    clock: config.clock ?? defaultClock,
    transport: config.transport,
    clientId: stringOption('clientId', config.clientId, 'kafka-rx'),
    assignors: resolveAssignors(config.assignors ?? ['range']),
    groupInstanceId: config.groupInstanceId ?? null,
    isolationLevel: isolation === 'read_committed' ? 1 : 0,
    minBytes: integer('fetch.minBytes', fetch.minBytes, 1, 0),
    maxBytes,
    maxPartitionBytes,
    maxWaitMs: integer('fetch.maxWaitMs', fetch.maxWaitMs, 500, 0),
    partitionBufferBytes: integer(
      'partitionBufferBytes',
      config.partitionBufferBytes,
      2 * maxPartitionBytes,
      1,
      Number.MAX_SAFE_INTEGER,
    ),
    retryBackoffMs,
    retryBackoffMaxMs: integer(
      'retryBackoffMaxMs',
      config.retryBackoffMaxMs,
      Math.max(1000, retryBackoffMs),
      retryBackoffMs,
    ),
    metadataMaxAgeMs: integer('metadataMaxAgeMs', config.metadataMaxAgeMs, 300000, 1),
    closeTimeoutMs: integer('closeTimeoutMs', config.closeTimeoutMs, 10000, 0),
    bootstrapTimeoutMs: integer('bootstrapTimeoutMs', config.bootstrapTimeoutMs, 10000, 0),
    deserializers: resolveDeserializers(config.deserializers),
  };
}
