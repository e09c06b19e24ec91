import {
  catchError,
  concatMap,
  concatWith,
  defer,
  EMPTY,
  finalize,
  from,
  ignoreElements,
  type Observable,
  throwError,
  toArray,
} from 'rxjs';
import type { Producer } from './types';

/**
 * Runs `work` inside a transaction: begins one, subscribes to `work(producer)`, commits when it
 * completes, and then emits its values. If `work` or the commit fails, the transaction is aborted
 * and the error passed on (an error of the abort itself is dropped in favour of the first one).
 * Unsubscribing before the end aborts the transaction.
 */
export function transaction<T>(
  producer: Producer,
  work: (producer: Producer) => Observable<T>,
): Observable<T> {
  return defer(() => {
    producer.beginTransaction();
    let settled = false;
    return defer(() => work(producer)).pipe(
      toArray(),
      concatMap((values) =>
        producer.commitTransaction().pipe(
          ignoreElements(),
          concatWith(
            defer(() => {
              settled = true;
              return from(values);
            }),
          ),
        ),
      ),
      catchError((error: unknown) => {
        settled = true;
        return producer.abortTransaction().pipe(
          ignoreElements(),
          catchError(() => EMPTY),
          concatWith(throwError(() => error)),
        );
      }),
      finalize(() => {
        if (!settled) producer.abortTransaction().subscribe({ error: () => undefined });
      }),
    );
  });
}
