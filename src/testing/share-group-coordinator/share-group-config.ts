/** Where a new share partition starts: Kafka's group config `share.auto.offset.reset`. */
export type ShareAutoOffsetReset = 'latest' | 'earliest';

/** Broker defaults of share groups, as Kafka's `group.share.*` configs of the same meaning. */
export interface ShareGroupConfig {
  /** group.share.session.timeout.ms; Kafka's default 45000. */
  readonly sessionTimeoutMs: number;
  /** group.share.heartbeat.interval.ms; Kafka's default 5000. */
  readonly heartbeatIntervalMs: number;
  /** group.share.record.lock.duration.ms; Kafka's default 30000. */
  readonly recordLockDurationMs: number;
  /** group.share.delivery.count.limit; Kafka's default 5: a record delivered that often is archived, not redelivered. */
  readonly deliveryCountLimit: number;
  /** share.auto.offset.reset for groups that do not set it; Kafka's default `latest`. */
  readonly autoOffsetReset: ShareAutoOffsetReset;
}

/** The group configs of share groups the fake cluster knows (IncrementalAlterConfigs on a GROUP resource). */
export const SHARE_GROUP_CONFIG_NAMES = ['share.auto.offset.reset', 'share.record.lock.duration.ms'] as const;

// Kafka's group.share.min.record.lock.duration.ms and group.share.max.record.lock.duration.ms.
const MIN_LOCK_MS = 15000;
const MAX_LOCK_MS = 60000;

/** Why Kafka would refuse this group config value, or undefined when it is valid. */
export function shareGroupConfigProblem(name: string, value: string | null): string | undefined {
  if (!(SHARE_GROUP_CONFIG_NAMES as readonly string[]).includes(name))
    return `Unknown group config name: ${name}`;
  if (value === null) return undefined;
  if (name === 'share.auto.offset.reset')
    return value === 'latest' || value === 'earliest'
      ? undefined
      : `Invalid value ${value} for configuration share.auto.offset.reset`;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < MIN_LOCK_MS || ms > MAX_LOCK_MS)
    return `Invalid value ${value} for configuration ${name}: must be between ${MIN_LOCK_MS} and ${MAX_LOCK_MS}`;
  return undefined;
}
