import {
  defer,
  exhaustMap,
  filter,
  finalize,
  from,
  merge,
  observeOn,
  Subject,
  tap,
  type ObservableInput,
  type OperatorFunction,
  type SchedulerLike,
} from 'rxjs';

/**
 * `exhaustMap` that loses no request: a value that arrives while `project`'s Observable runs is not
 * dropped but answered by one more run once that one has ended (the last such value, on
 * `scheduler`, never from inside the run that ends). Fetch rounds go through it: demand raised
 * while a round is being planned (a partition's buffer drained, a broker free again, a failed plan
 * asking to be tried again) gets a round of its own.
 *
 * @example
 * demand$.pipe(exhaustMapWithTrailing(() => fetcher.plan$(), clock));
 */
export function exhaustMapWithTrailing<T, R>(
  project: (value: T) => ObservableInput<R>,
  scheduler: SchedulerLike,
): OperatorFunction<T, R> {
  return (source) =>
    defer(() => {
      let running = false;
      let missed: { readonly value: T } | null = null;
      let sourceDone = false;
      const again = new Subject<T>();
      /** After a run: the value that came meanwhile runs next; with none left and no more to come, done. */
      const settle = (): void => {
        const next = missed;
        missed = null;
        if (next) again.next(next.value);
        else if (sourceDone) again.complete();
      };
      return merge(
        source.pipe(
          tap({
            complete: () => {
              sourceDone = true;
              if (!running) settle();
            },
          }),
        ),
        again.pipe(observeOn(scheduler)),
      ).pipe(
        filter((value) => {
          if (running) missed = { value };
          return !running;
        }),
        exhaustMap((value) => {
          running = true;
          return from(project(value)).pipe(
            finalize(() => {
              running = false;
              settle();
            }),
          );
        }),
      );
    });
}
