import { lastValueFrom, throwError, timeout, type Observable } from 'rxjs';
import { TimeoutError } from './errors';
import type { Cluster } from '../cluster/cluster';
import { BootstrapError } from '../cluster/errors';
import { retryWithBackoff, type RetryOptions } from '../cluster/retry-with-backoff';
import type { ResolvedAdminConfig } from './admin-config';

/** What every admin operation works with: the cluster view, the resolved config and its retry policy. */
export interface AdminContext {
  readonly cluster: Cluster;
  readonly config: ResolvedAdminConfig;
  readonly retry: RetryOptions;
}

/** Options every admin call takes. */
export interface CallOptions {
  /** Deadline of this call, retries included. Default: the admin client's `apiTimeoutMs`. */
  readonly timeoutMs?: number;
}

export function adminContext(cluster: Cluster, config: ResolvedAdminConfig): AdminContext {
  return {
    cluster,
    config,
    retry: {
      clock: config.clock,
      retries: config.retries,
      // ±20 %, as the cluster client's own retries.
      backoff: { initial: config.retryBackoffMs, max: config.retryBackoffMaxMs, jitter: 0.2 },
    },
  };
}

/**
 * Runs an operation to its last value as a Promise, bounded by the call's deadline on the clock: an
 * operation still retrying when it passes rejects with a retriable `TimeoutError`. A cluster not
 * reached yet is tried again, without using up `retries`, until its `BootstrapError` is final (at
 * `bootstrapTimeoutMs`), as the consumer and the producer do; no broker has seen the call then.
 */
export function runCall<T>(
  ctx: AdminContext,
  operation: string,
  work$: Observable<T>,
  options: CallOptions = {},
): Promise<T> {
  const ms = options.timeoutMs ?? ctx.config.apiTimeoutMs;
  return lastValueFrom(
    work$.pipe(
      retryWithBackoff({
        clock: ctx.config.clock,
        backoff: ctx.retry.backoff,
        shouldRetry: (error) => error instanceof BootstrapError && error.retriable,
      }),
      timeout({
        first: ms,
        scheduler: ctx.config.clock,
        with: () => throwError(() => new TimeoutError(`${operation} did not complete within ${ms} ms`)),
      }),
    ),
  );
}

/** The request options of an admin request: the transport waits a little longer than the broker may. */
export function requestOptions(ctx: AdminContext): { timeoutMs: number } {
  return { timeoutMs: ctx.config.requestTimeoutMs + 5000 };
}
