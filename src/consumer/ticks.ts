import { distinctUntilChanged, EMPTY, interval, map, merge, type Observable, switchMap, timer } from 'rxjs';
import { isConsumerGroupState, type ConsumerGroupState } from './consumer-group/state';
import type { Clock } from '../time/clock';
import type { MembershipState } from './membership/state';

/** What the tick stream asks for: a Heartbeat, an auto-commit, or a fetch round. */
export type TickType = 'heartbeat' | 'commit' | 'fetch';

/** One tick, with the membership it belongs to (generation and member id for the request). */
export interface Tick {
  readonly type: TickType;
  readonly membership: MembershipState;
}

export interface TickConfig {
  readonly heartbeatIntervalMs: number;
  /** null: no auto-commit. */
  readonly autoCommitIntervalMs: number | null;
}

/** Consumer group protocol: giving partitions up to take a new assignment (not fenced, not leaving). */
function isReconciling(membership: MembershipState): membership is ConsumerGroupState {
  return (
    isConsumerGroupState(membership) &&
    membership.phase === 'rebalancing' &&
    membership.giveUp?.then === 'reconcile'
  );
}

/**
 * The single scheduler stream of a consumer. While the membership is stable it merges
 * heartbeat ticks (every `heartbeatIntervalMs`, or under the consumer group protocol at the
 * interval the coordinator gave, at once after a reconciliation, and also while partitions are
 * given up for a new assignment), auto-commit ticks (every `autoCommitIntervalMs`)
 * and fetch ticks (whenever `demand$` says a partition buffer has room); in any other phase it is
 * silent. A new generation restarts the timers.
 *
 * @example
 * ticks(membership$, { heartbeatIntervalMs: 3000, autoCommitIntervalMs: 5000 }, demand$, clock)
 *   .pipe(filter((t) => t.type === 'heartbeat'), exhaustMap(sendHeartbeat))
 */
export function ticks(
  membership$: Observable<MembershipState>,
  config: TickConfig,
  demand$: Observable<unknown>,
  clock: Clock,
): Observable<Tick> {
  return membership$.pipe(
    distinctUntilChanged((a, b) => a.phase === b.phase && a.seq === b.seq),
    switchMap((membership) => {
      const tick = (type: TickType) => map((): Tick => ({ type, membership }));
      if (isReconciling(membership)) {
        // The member stays in the group while it commits what it gives up: heartbeats go on (only they).
        return interval(membership.heartbeatIntervalMs, clock).pipe(tick('heartbeat'));
      }
      if (membership.phase !== 'stable') return EMPTY;
      // Consumer group protocol: the coordinator's interval, and at once when an assignment awaits acknowledgement.
      const heartbeat$ = isConsumerGroupState(membership)
        ? timer(
            membership.acknowledge ? 0 : membership.heartbeatIntervalMs,
            membership.heartbeatIntervalMs,
            clock,
          )
        : interval(config.heartbeatIntervalMs, clock);
      return merge(
        heartbeat$.pipe(tick('heartbeat')),
        config.autoCommitIntervalMs === null
          ? EMPTY
          : interval(config.autoCommitIntervalMs, clock).pipe(tick('commit')),
        demand$.pipe(tick('fetch')),
      );
    }),
  );
}
