/** Kafka's clients spread reconnects by ±20 % so that clients do not reconnect in lockstep. */
const JITTER = 0.2;

/**
 * How long to wait before the next connection attempt after `failures` failed attempts in a row:
 * `baseMs * 2^(failures - 1)` (`baseMs` after a working connection dropped, `failures` = 0),
 * with jitter, never more than `maxMs`.
 *
 * @param random a number in [0, 1); `Math.random` by default.
 */
export function reconnectBackoff(
  failures: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const exponential = baseMs * 2 ** Math.max(0, failures - 1);
  const jittered = exponential * (1 + JITTER * (2 * random() - 1));
  return Math.max(0, Math.min(maxMs, Math.round(jittered)));
}
