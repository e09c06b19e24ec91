import { map, type Observable, startWith, switchMap, timer } from 'rxjs';
import type { Clock } from '../time/clock';

/**
 * The session timeout as the member sees it: emits each time `sessionTimeoutMs` passes with no
 * successful heartbeat (`heartbeatOk$`), counted from subscription and from the last success,
 * and again every `sessionTimeoutMs` while none comes. Each emission means the coordinator is
 * deemed dead and is to be rediscovered (as the Java client's `coordinatorDead()`).
 *
 * @example
 * sessionTimeout$(heartbeatOk$, 45000, clock).pipe(tap(() => cluster.coordinatorDead(groupId)))
 */
export function sessionTimeout$(
  heartbeatOk$: Observable<unknown>,
  sessionTimeoutMs: number,
  clock: Clock,
): Observable<void> {
  return heartbeatOk$.pipe(
    startWith(undefined),
    switchMap(() => timer(sessionTimeoutMs, sessionTimeoutMs, clock)),
    map((): void => undefined),
  );
}
