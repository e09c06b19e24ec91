import { asyncScheduler, type SchedulerLike } from 'rxjs';

/**
 * The one source of time in kafka-rx. Every timer, interval, timeout and backoff is scheduled on a
 * `Clock`, so a `TestScheduler` can drive the whole client in virtual time.
 */
export type Clock = SchedulerLike;

/** The clock used when none is given: RxJS's `asyncScheduler` (wall-clock time). */
export const defaultClock: Clock = asyncScheduler;

/** Milliseconds since the epoch, as the given clock tells it. */
export function now(clock: Clock = defaultClock): number {
  return clock.now();
}
