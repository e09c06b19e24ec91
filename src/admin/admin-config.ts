import type { Cluster } from '../cluster/cluster';
import { checkOptionNames, ConfigError, integerOption, type OptionNames } from '../config';
import { defaultClock, type Clock } from '../time/clock';
import type { ClientConnectionOptions } from '../transport/default-transport';

export interface AdminConfig extends ClientConnectionOptions {
  /** Bootstrap brokers, `host:port`. */
  readonly brokers: readonly string[];
  readonly clientId?: string;
  /** An existing cluster view to share (e.g. with a producer); the admin client then does not close it. */
  readonly cluster?: Cluster;
  readonly clock?: Clock;
  /** Timeout of each request, and the broker-side timeout sent in requests that have one. Default 30000 ms. */
  readonly requestTimeoutMs?: number;
  /** Deadline of a whole call, retries included (Kafka's `default.api.timeout.ms`). Default 60000 ms. */
  readonly apiTimeoutMs?: number;
  /** Retries of a retriable failure, per call and per item. Default 5. */
  readonly retries?: number;
  /** Wait before the first retry; doubles per retry. Default 100 ms. */
  readonly retryBackoffMs?: number;
  /** Upper bound of the retry wait. Default 1000 ms. */
  readonly retryBackoffMaxMs?: number;
  /** How long a cluster that never answered is tried before calls fail with a final `BootstrapError`. Default 10000 ms. */
  readonly bootstrapTimeoutMs?: number;
}

/** An `AdminConfig` with every default filled in and checked. */
export interface ResolvedAdminConfig {
  readonly clock: Clock;
  readonly requestTimeoutMs: number;
  readonly apiTimeoutMs: number;
  readonly retries: number;
  readonly retryBackoffMs: number;
  readonly retryBackoffMaxMs: number;
}

const adminOptions: OptionNames<AdminConfig> = {
  brokers: true,
  clientId: true,
  transport: true,
  cluster: true,
  clock: true,
  tls: true,
  sasl: true,
  requestTimeoutMs: true,
  apiTimeoutMs: true,
  retries: true,
  retryBackoffMs: true,
  retryBackoffMaxMs: true,
  bootstrapTimeoutMs: true,
};

/** Fills in defaults; an unknown or bad option is a `ConfigError` naming it. */
export function resolveAdminConfig(config: AdminConfig): ResolvedAdminConfig {
  checkOptionNames<AdminConfig>('createAdmin', config, adminOptions);
  if (!config.cluster && (!Array.isArray(config.brokers) || config.brokers.length === 0))
    throw new ConfigError('brokers: give at least one bootstrap broker as "host:port"');
  return {
    clock: config.clock ?? config.cluster?.clock ?? defaultClock,
    requestTimeoutMs: integerOption('requestTimeoutMs', config.requestTimeoutMs, 30000, 1),
    apiTimeoutMs: integerOption('apiTimeoutMs', config.apiTimeoutMs, 60000, 1),
    retries: integerOption('retries', config.retries, 5, 0),
    retryBackoffMs: integerOption('retryBackoffMs', config.retryBackoffMs, 100, 0),
    retryBackoffMaxMs: integerOption('retryBackoffMaxMs', config.retryBackoffMaxMs, 1000, 0),
  };
}
