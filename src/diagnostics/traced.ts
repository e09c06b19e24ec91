import type { TracingChannel } from 'node:diagnostics_channel';
import { Observable, type MonoTypeOperatorFunction } from 'rxjs';
import { isTraced } from './channels';

/** What an operation's payload gains when it fails. */
interface Failable {
  error?: unknown;
}

/**
 * Publishes an operation's events around the cold Observable it is piped to, as a tracing channel's subscribers
 * expect them: `start` at subscription and `end` once it has returned; when it settles, `error`
 * (if it failed), then `asyncStart` before the outcome is passed on and `asyncEnd` after.
 * `outcome(payload, last)` fills in the payload's result first. An operation unsubscribed before
 * it settles ends there, with `asyncStart` and `asyncEnd` and no result, so that no span is left
 * open. With nobody listening at subscription it subscribes to the source as it is: no payload.
 *
 * @example
 * request$.pipe(traced(channels.connect, () => payloads.connect(broker, clientId)))
 */
export function traced<T, P extends Failable>(
  channel: TracingChannel<P, P>,
  payload: () => P,
  outcome?: (payload: P, last: T | undefined) => void,
): MonoTypeOperatorFunction<T> {
  return (source) =>
    new Observable<T>((subscriber) => {
      if (!isTraced(channel)) return source.subscribe(subscriber);
      const context = payload();
      let last: T | undefined;
      let settled = false;
      const settle = (failed: boolean, error?: unknown): void => {
        settled = true;
        if (failed) context.error = error;
        // `outcome` may find a failure in a result (a commit fails as a value).
        outcome?.(context, last);
        if (context.error !== undefined) channel.error.publish(context);
        channel.asyncStart.publish(context);
      };
      channel.start.publish(context);
      const subscription = source.subscribe({
        next: (value) => {
          last = value;
          subscriber.next(value);
        },
        error: (error: unknown) => {
          settle(true, error);
          subscriber.error(error);
          channel.asyncEnd.publish(context);
        },
        complete: () => {
          settle(false);
          subscriber.complete();
          channel.asyncEnd.publish(context);
        },
      });
      channel.end.publish(context);
      return () => {
        subscription.unsubscribe();
        if (settled) return;
        settle(false);
        channel.asyncEnd.publish(context);
      };
    });
}
