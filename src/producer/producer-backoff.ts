import type { Backoff } from '../time/backoff';

/** The producer's backoff: `retryBackoffMs` before every retry (it has no `retryBackoffMaxMs`), without jitter. */
export function producerBackoff(retryBackoffMs: number): Backoff {
  return { initial: retryBackoffMs, max: retryBackoffMs, jitter: 0 };
}
