import { retry, throwError, timer, type MonoTypeOperatorFunction } from 'rxjs';
import { KafkaRxError } from '../errors';
import { backoffMs } from '../time/backoff';
import type { Clock } from '../time/clock';

export interface RetryOptions {
  readonly clock: Clock;
  /** Retries after the first attempt. */
  readonly retries: number;
  /** Wait before the first retry; doubles for each further one. */
  readonly backoffMs: number;
  /** Upper bound of the wait. */
  readonly maxBackoffMs: number;
  /** Which errors are worth a retry; by default those marked `retriable`. */
  readonly shouldRetry?: (error: unknown) => boolean;
  /** For the ±20 % jitter; `Math.random` by default. */
  readonly random?: () => number;
}

/** A `KafkaRxError` marked retriable (connection failures, timeouts, retriable Kafka error codes). */
export function isRetriable(error: unknown): boolean {
  return error instanceof KafkaRxError && error.retriable;
}

/** The wait before retry number `retry` (1-based): exponential with ±20 % jitter, capped. */
export function retryBackoff(
  retry: number,
  options: Pick<RetryOptions, 'backoffMs' | 'maxBackoffMs' | 'random'>,
): number {
  return backoffMs(
    retry,
    { initial: options.backoffMs, max: options.maxBackoffMs, jitter: 0.2 },
    options.random,
  );
}

/**
 * Resubscribes to the source after a retriable error, waiting an exponential backoff on the clock,
 * at most `retries` times; other errors, and the last one, pass through.
 */
export function retryWithBackoff<T>(options: RetryOptions): MonoTypeOperatorFunction<T> {
  const shouldRetry = options.shouldRetry ?? isRetriable;
  return retry({
    count: options.retries,
    delay: (error: unknown, retryCount: number) =>
      shouldRetry(error) ? timer(retryBackoff(retryCount, options), options.clock) : throwError(() => error),
  });
}
