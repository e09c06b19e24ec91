import type { Clock } from '../../time/clock';
import type { Group } from './group';
import type { GroupEvent } from './group-event';
import type { OffsetToCommit } from './offset-to-commit';

/** Limits a group coordinator enforces, as Kafka's broker configs of the same names. */
export interface GroupCoordinatorConfig {
  /** group.min.session.timeout.ms; Kafka's default 6000. */
  readonly minSessionTimeoutMs: number;
  /** group.max.session.timeout.ms; Kafka's default 1800000. */
  readonly maxSessionTimeoutMs: number;
  /** group.initial.rebalance.delay.ms: how long a new group waits for more members (Kafka: 3000; here 0). */
  readonly initialRebalanceDelayMs: number;
}

/** What the parts of the group coordinator share: its groups, clock, limits and events. */
export interface CoordinatorContext {
  readonly clock: Clock;
  readonly config: GroupCoordinatorConfig;
  readonly groups: Map<string, Group>;
  /** Group id → producer id → offsets of its open transaction (Kafka's pending transactional offsets). */
  readonly pendingTransactionalOffsets: Map<string, Map<bigint, OffsetToCommit[]>>;
  emit(event: GroupEvent): void;
  /** Kafka's form `clientId-uuid`. */
  newMemberId(clientId: string): string;
}
