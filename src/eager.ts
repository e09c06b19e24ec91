import { AsyncSubject, type Observable, throwError } from 'rxjs';

/**
 * The result of a call that has already acted (a send, a commit): an Observable that replays
 * its outcome (the last value, then complete; or the error) to every subscriber, late ones
 * included, and that can be awaited, so `await producer.send(...)` resolves with the value or
 * rejects with the error.
 */
export type Eager<T> = Observable<T> & PromiseLike<T>;

/**
 * Subscribes to `source` now and returns its outcome as an `Eager`. Inside `TestScheduler.run`
 * the work starts at the call's virtual time.
 *
 * A promise is made only when `then` is called, so an outcome nobody looks at never becomes an
 * unhandled rejection: its error reaches only those who subscribe or await.
 *
 * @example
 * const metadata = await producer.send(record);   // or producer.send(record).subscribe(...)
 */
export function eager<T>(source: Observable<T>): Eager<T> {
  const outcome$ = new AsyncSubject<T>();
  source.subscribe(outcome$);
  let settled: Promise<T> | undefined;
  const toPromise = (): Promise<T> =>
    (settled ??= new Promise<T>((resolve, reject) => {
      let last: T;
      outcome$.subscribe({
        next: (value) => (last = value),
        error: reject,
        complete: () => resolve(last),
      });
    }));
  return Object.assign(outcome$.asObservable(), {
    then<R1 = T, R2 = never>(
      onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
      onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
    ): PromiseLike<R1 | R2> {
      return toPromise().then(onFulfilled, onRejected);
    },
  });
}

/** An `Eager` that has already failed with `error` (a call refused before it could act). */
export function eagerError<T>(error: unknown): Eager<T> {
  return eager<T>(throwError(() => error));
}
