import { EMPTY, expand, mergeMap, timer, type Observable } from 'rxjs';
import type { Clock } from '../../time/clock';

/**
 * When to re-authenticate a session of `sessionLifetimeMs`: at 85 to 95 % of it, as Kafka's Java
 * client does, so that clients spread their re-authentications and finish before the broker's
 * deadline.
 */
export function reauthenticationDelayMs(sessionLifetimeMs: number, random: () => number): number {
  return Math.floor(sessionLifetimeMs * (0.85 + 0.1 * random()));
}

/**
 * Keeps a SASL session alive (KIP-368): before each session expires on the clock, runs
 * `reauthenticate` (which emits the new session's lifetime), and so on while the broker gives
 * lifetimes. Emits each new lifetime; completes when a session does not expire (lifetime 0).
 */
export function reauthentication(
  sessionLifetimeMs: number,
  reauthenticate: () => Observable<number>,
  clock: Clock,
  random: () => number = Math.random,
): Observable<number> {
  const renew = (lifetimeMs: number): Observable<number> =>
    lifetimeMs > 0
      ? timer(reauthenticationDelayMs(lifetimeMs, random), clock).pipe(mergeMap(() => reauthenticate()))
      : EMPTY;
  return renew(sessionLifetimeMs).pipe(expand(renew));
}
