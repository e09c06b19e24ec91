import type { ClientConnectionOptions } from '../../transport/default-transport';
import { checkOptionNames, ConfigError, integerOption, stringOption, type OptionNames } from '../../config';
import { defaultClock, type Clock } from '../../time/clock';
import type { Deserializers } from '../../serde/deserializer';
import { resolveDeserializers } from '../config';
import type { AnyDeserializers } from '../deserialize-record';

export interface ShareConsumerConfig<K = Buffer, V = Buffer, H = Buffer> extends ClientConnectionOptions {
  /** Bootstrap addresses, `host:port`. */
  readonly brokers: readonly string[];
  /** The share group's id. */
  readonly groupId: string;
  readonly topics: readonly string[];
  /**
   * `implicit` (default): a record is accepted once it has been handed downstream.
   * `explicit`: every record needs `accept()`, `release()` or `reject()`; one left unsettled is an error on close.
   */
  readonly acknowledgementMode?: 'implicit' | 'explicit';
  readonly clientId?: string;
  /** Records held at once (buffered, and handed out but not settled in explicit mode); bounds each ShareFetch. Default 500. */
  readonly maxRecords?: number;
  /** Bytes per ShareFetch. Default 52428800. */
  readonly maxBytes?: number;
  /** How long the broker may hold a ShareFetch open waiting for records. Default 500. */
  readonly maxWaitMs?: number;
  readonly retryBackoffMs?: number;
  readonly retryBackoffMaxMs?: number;
  readonly requestTimeoutMs?: number;
  readonly metadataMaxAgeMs?: number;
  readonly bootstrapTimeoutMs?: number;
  /** Bound of close(): acknowledgements and leaving the group. Default 30000. */
  readonly closeTimeoutMs?: number;
  readonly clock?: Clock;
  /** As the consumer's: keys, values and header values become `K`, `V` and `H`; a record refused comes with `error`. */
  readonly deserializers?: Deserializers<K, V, H>;
}

export interface ResolvedShareConsumerConfig {
  readonly brokers: readonly string[];
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly acknowledgementMode: 'implicit' | 'explicit';
  readonly clientId: string;
  readonly maxRecords: number;
  readonly maxBytes: number;
  readonly maxWaitMs: number;
  readonly retryBackoffMs: number;
  readonly retryBackoffMaxMs: number;
  readonly requestTimeoutMs: number;
  readonly metadataMaxAgeMs: number;
  readonly bootstrapTimeoutMs: number;
  readonly closeTimeoutMs: number;
  readonly clock: Clock;
  readonly deserializers: AnyDeserializers | undefined;
}

const names: OptionNames<ShareConsumerConfig> = {
  brokers: true,
  groupId: true,
  topics: true,
  acknowledgementMode: true,
  clientId: true,
  maxRecords: true,
  maxBytes: true,
  maxWaitMs: true,
  retryBackoffMs: true,
  retryBackoffMaxMs: true,
  requestTimeoutMs: true,
  metadataMaxAgeMs: true,
  bootstrapTimeoutMs: true,
  closeTimeoutMs: true,
  clock: true,
  transport: true,
  tls: true,
  sasl: true,
  deserializers: true,
};

/** Checks a share consumer's options and fills in the defaults; throws a `ConfigError`. */
export function resolveShareConsumerConfig(
  config: ShareConsumerConfig<unknown, unknown, unknown>,
): ResolvedShareConsumerConfig {
  checkOptionNames('createShareConsumer', config, names);
  if (!Array.isArray(config.brokers) || config.brokers.length === 0)
    throw new ConfigError('createShareConsumer: brokers must list at least one host:port');
  const groupId = stringOption('groupId', config.groupId, undefined);
  if (groupId === undefined) throw new ConfigError('createShareConsumer: groupId is required');
  if (
    !Array.isArray(config.topics) ||
    config.topics.length === 0 ||
    config.topics.some((t) => typeof t !== 'string' || t === '')
  )
    throw new ConfigError('createShareConsumer: topics must list at least one topic name');
  const mode = config.acknowledgementMode ?? 'implicit';
  if (mode !== 'implicit' && mode !== 'explicit')
    throw new ConfigError(
      `createShareConsumer: acknowledgementMode must be 'implicit' or 'explicit', got ${String(mode)}`,
    );
  return {
    brokers: config.brokers,
    groupId,
    topics: [...new Set(config.topics)].sort(),
    acknowledgementMode: mode,
    clientId: stringOption('clientId', config.clientId, 'kafka-rx'),
    maxRecords: integerOption('maxRecords', config.maxRecords, 500, 1),
    maxBytes: integerOption('maxBytes', config.maxBytes, 52428800, 1),
    maxWaitMs: integerOption('maxWaitMs', config.maxWaitMs, 500, 0),
    retryBackoffMs: integerOption('retryBackoffMs', config.retryBackoffMs, 100, 1),
    retryBackoffMaxMs: integerOption('retryBackoffMaxMs', config.retryBackoffMaxMs, 1000, 1),
    requestTimeoutMs: integerOption('requestTimeoutMs', config.requestTimeoutMs, 30000, 1),
    metadataMaxAgeMs: integerOption('metadataMaxAgeMs', config.metadataMaxAgeMs, 300000, 1),
    bootstrapTimeoutMs: integerOption('bootstrapTimeoutMs', config.bootstrapTimeoutMs, 10000, 1),
    closeTimeoutMs: integerOption('closeTimeoutMs', config.closeTimeoutMs, 30000, 1),
    clock: config.clock ?? defaultClock,
    deserializers: resolveDeserializers(config.deserializers, 'createShareConsumer'),
  };
}
