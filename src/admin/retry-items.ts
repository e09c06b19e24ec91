import { defer, of, switchMap, timer, type Observable } from 'rxjs';
import type { RetryOptions } from '../cluster/retry-with-backoff';
import { backoffMs } from '../time/backoff';
import type { KafkaRxError } from '../errors';
import { ErrorCode } from '../protocol/errors';

/** A per-item result: the item's error, when it failed. */
export interface ItemResult {
  readonly error?: KafkaRxError;
}

/**
 * Whether an item's error is worth another request. UNKNOWN_TOPIC_OR_PARTITION is retriable in
 * Kafka's table, yet for a topic named in an admin call it is the answer, not a passing state.
 */
export function retriableItem(result: ItemResult): boolean {
  return (
    result.error !== undefined &&
    result.error.retriable &&
    result.error.code !== ErrorCode.UNKNOWN_TOPIC_OR_PARTITION
  );
}

/**
 * Sends `items` with `send` (whose results come in the order of the items it was given), then sends
 * again, after a backoff on the clock, only the items whose result has a retriable error, so one
 * item that waits for a leader or controller never repeats the others. After `retries` rounds the
 * last result of each item stands. Emits every item's result, in the order of `items`.
 */
export function retryItems<I, R extends ItemResult>(
  items: readonly I[],
  send: (items: readonly I[]) => Observable<readonly R[]>,
  retry: RetryOptions,
  shouldRetry: (result: R) => boolean = retriableItem,
): Observable<R[]> {
  return defer(() => {
    const results: R[] = new Array<R>(items.length);
    const round = (indexes: readonly number[], n: number): Observable<R[]> =>
      send(indexes.map((i) => items[i])).pipe(
        switchMap((answers) => {
          const again: number[] = [];
          answers.forEach((result, k) => {
            results[indexes[k]] = result;
            if (n < (retry.retries ?? Infinity) && shouldRetry(result)) again.push(indexes[k]);
          });
          if (again.length === 0) return of(results);
          return timer(backoffMs(n + 1, retry.backoff, retry.random), retry.clock).pipe(
            switchMap(() => round(again, n + 1)),
          );
        }),
      );
    return items.length === 0
      ? of([])
      : round(
          items.map((_, i) => i),
          0,
        );
  });
}
