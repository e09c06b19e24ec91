import { of, timer, type Observable } from 'rxjs';
import { type Backoff, backoffMs } from '../time/backoff';
import type { Clock } from '../time/clock';

export interface BackoffConfig {
  readonly retryBackoffMs: number;
  readonly retryBackoffMaxMs: number;
}

/** The consumer's backoff: doubling from retryBackoffMs up to retryBackoffMaxMs, without jitter. */
export function consumerBackoff(config: BackoffConfig): Backoff {
  return { initial: config.retryBackoffMs, max: config.retryBackoffMaxMs, jitter: 0 };
}

/** Emits once after the backoff for `attempt`, on the clock (at once for attempt 0). */
export function backoff$(attempt: number, config: BackoffConfig, clock: Clock): Observable<unknown> {
  const ms = backoffMs(attempt, consumerBackoff(config));
  return ms === 0 ? of(0) : timer(ms, clock);
}
