import { firstValueFrom, fromEvent, map, switchMap, timer, type Observable } from 'rxjs';
import { defaultClock, type Clock } from '../time';

/** How long a command may take to finish cleanly after the first Ctrl-C (SIGINT/SIGTERM). */
export const STOP_GRACE_MS = 1500;

/**
 * Resolves `graceMs` after `stop` fires (never, if it does not): a command that is still sending,
 * committing or leaving its group by then is abandoned, so the first Ctrl-C always ends it soon.
 */
export function gracePeriodOver(
  stop: AbortSignal,
  graceMs = STOP_GRACE_MS,
  clock: Clock = defaultClock,
): Promise<'over'> {
  const aborted$: Observable<unknown> = stop.aborted ? timer(0, clock) : fromEvent(stop, 'abort');
  return firstValueFrom(
    aborted$.pipe(
      switchMap(() => timer(graceMs, clock)),
      map(() => 'over' as const),
    ),
  );
}
