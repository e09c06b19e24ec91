import { filter, map, type Observable, startWith, switchMap, take, timer } from 'rxjs';
import type { Clock } from '../time/clock';

/**
 * The `maxPollIntervalMs` guard: emits once, then completes, when `maxPollIntervalMs` has passed
 * since subscription or since the last `activity$` (the application took a record, or records
 * were appended) and records are still `waiting()`. A quiet partition with nothing waiting
 * never trips it: the application is idle, not stuck.
 *
 * @example
 * pollTimeout$(merge(registry.taken$, registry.appended$), () => registry.waiting(), 300000, clock)
 */
export function pollTimeout$(
  activity$: Observable<unknown>,
  waiting: () => boolean,
  maxPollIntervalMs: number,
  clock: Clock,
): Observable<void> {
  return activity$.pipe(
    startWith(undefined),
    switchMap(() => timer(maxPollIntervalMs, clock)),
    filter(() => waiting()),
    take(1),
    map((): void => undefined),
  );
}
