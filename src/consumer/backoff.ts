import { of, timer, type Observable } from 'rxjs';
import type { Clock } from '../time/clock';

export interface BackoffConfig {
  readonly retryBackoffMs: number;
  readonly retryBackoffMaxMs: number;
}

/** The wait before retry number `attempt` (0: none): doubling from retryBackoffMs, capped at retryBackoffMaxMs. */
export function backoffMs(attempt: number, config: BackoffConfig): number {
  if (attempt <= 0) return 0;
  return Math.min(config.retryBackoffMaxMs, config.retryBackoffMs * 2 ** (attempt - 1));
}

/** Emits once after the backoff for `attempt`, on the clock (at once for attempt 0). */
export function backoff$(attempt: number, config: BackoffConfig, clock: Clock): Observable<unknown> {
  const ms = backoffMs(attempt, config);
  return ms === 0 ? of(0) : timer(ms, clock);
}
