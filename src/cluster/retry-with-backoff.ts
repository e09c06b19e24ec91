import { defer, retry, throwError, timer, type MonoTypeOperatorFunction } from 'rxjs';
import { KafkaRxError } from '../errors';
import { type Backoff, backoffMs } from '../time/backoff';
import { now, type Clock } from '../time/clock';

export interface RetryOptions {
  readonly clock: Clock;
  /** The wait before each retry (see `backoffMs`). */
  readonly backoff: Backoff;
  /** Retries after the first attempt; no limit by default. */
  readonly retries?: number;
  /**
   * Gives up (the error passes through) when the next attempt would start later than this long
   * after the subscription (a producer's `maxBlockMs`); no limit by default.
   */
  readonly maxElapsedMs?: number;
  /**
   * A moment on the clock that no wait runs past: the retry starts there instead (a cluster never
   * reached tries once more at its bootstrap deadline, where that attempt fails for good).
   */
  readonly waitsEndBy?: () => number;
  /** Which errors are worth a retry; by default those marked `retriable`. */
  readonly shouldRetry?: (error: unknown) => boolean;
  /** For the jitter; `Math.random` by default. */
  readonly random?: () => number;
}

/** A `KafkaRxError` marked retriable (connection failures, timeouts, retriable Kafka error codes). */
export function isRetriable(error: unknown): boolean {
  return error instanceof KafkaRxError && error.retriable;
}

/**
 * Resubscribes to the source after an error worth a retry, once the backoff has passed on the
 * clock; other errors, and the last one (out of `retries`, or past `maxElapsedMs`), pass through.
 *
 * @example
 * cluster.request(broker, Metadata, body).pipe(
 *   retryWithBackoff({ clock, retries: 5, backoff: { initial: 100, max: 1000, jitter: 0.2 } }),
 * );
 */
export function retryWithBackoff<T>(options: RetryOptions): MonoTypeOperatorFunction<T> {
  const { clock, backoff, random, maxElapsedMs } = options;
  const shouldRetry = options.shouldRetry ?? isRetriable;
  return (source) =>
    defer(() => {
      const deadline = maxElapsedMs === undefined ? Infinity : now(clock) + maxElapsedMs;
      return source.pipe(
        retry({
          count: options.retries ?? Infinity,
          delay: (error: unknown, retryCount: number) => {
            const endBy = options.waitsEndBy?.() ?? Infinity;
            const waitMs = Math.min(backoffMs(retryCount, backoff, random), Math.max(0, endBy - now(clock)));
            if (!shouldRetry(error) || now(clock) + waitMs > deadline) return throwError(() => error);
            return timer(waitMs, clock);
          },
        }),
      );
    });
}
