/** How waits between attempts grow: Kafka's `retry.backoff.ms` / `retry.backoff.max.ms` (KIP-580). */
export interface Backoff {
  /** The wait before the first retry, in ms; it doubles for each further one. */
  readonly initial: number;
  /** The longest wait, in ms. */
  readonly max: number;
  /**
   * The share by which a wait is spread either way (0.2: ±20 %, as Kafka's clients do), so that
   * clients that failed together do not retry in lockstep; 0 for none.
   */
  readonly jitter: number;
}

/**
 * The wait before attempt number `attempt` after the first (1-based; 0 and below: none):
 * `initial * 2^(attempt - 1)`, spread by `jitter`, capped at `max`, rounded to whole ms.
 *
 * @param random a number in [0, 1); `Math.random` by default. Not called without jitter.
 */
export function backoffMs(attempt: number, backoff: Backoff, random: () => number = Math.random): number {
  if (attempt <= 0) return 0;
  const exponential = backoff.initial * 2 ** (attempt - 1);
  const spread = backoff.jitter === 0 ? 1 : 1 + backoff.jitter * (2 * random() - 1);
  return Math.max(0, Math.min(backoff.max, Math.round(exponential * spread)));
}
