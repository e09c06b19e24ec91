import { forkJoin, of, type Observable } from 'rxjs';
import type { RetryOptions } from '../cluster/retry-with-backoff';
import { retryItems, type ItemResult } from './retry-items';

/**
 * `retryItems` for calls that ask about each item in a request of its own (a group of its own
 * coordinator): all at once, and again per item while its error is retriable.
 */
export function retryEach<I, R extends ItemResult>(
  items: readonly I[],
  one: (item: I) => Observable<R>,
  retry: RetryOptions,
): Observable<R[]> {
  return retryItems(
    items,
    (batch) => (batch.length === 0 ? of([]) : forkJoin(batch.map((item) => one(item)))),
    retry,
  );
}
