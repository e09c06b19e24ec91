import { distinctUntilChanged, EMPTY, interval, map, merge, type Observable, switchMap } from 'rxjs';
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

/**
 * The single scheduler stream of a consumer. While the membership is stable it merges
 * heartbeat ticks (every `heartbeatIntervalMs`), auto-commit ticks (every `autoCommitIntervalMs`)
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
      if (membership.phase !== 'stable') return EMPTY;
      const tick = (type: TickType) => map((): Tick => ({ type, membership }));
      return merge(
        interval(config.heartbeatIntervalMs, clock).pipe(tick('heartbeat')),
        config.autoCommitIntervalMs === null
          ? EMPTY
          : interval(config.autoCommitIntervalMs, clock).pipe(tick('commit')),
        demand$.pipe(tick('fetch')),
      );
    }),
  );
}
