import { catchError, EMPTY, ignoreElements, type OperatorFunction, pipe, tap } from 'rxjs';
import type { KafkaRxError } from '../../errors';
import { asKafkaRxError } from '../errors';

/** Where a leave is reported: the consumer's or the share consumer's `events$`. */
export interface LeaveEvents {
  emit(event: { type: 'leave'; reason: string } | { type: 'error'; error: KafkaRxError }): void;
}

/**
 * For the request that leaves a group (LeaveGroup, or a heartbeat with a leaving epoch): best
 * effort. An answer says `leave` on events$; an error is reported there and never thrown, since
 * the member is going anyway and the coordinator drops it when its session times out.
 */
export function leaveBestEffort(ctx: LeaveEvents, reason: string): OperatorFunction<unknown, never> {
  return pipe(
    tap(() => ctx.emit({ type: 'leave', reason })),
    ignoreElements(),
    catchError((error: unknown) => {
      ctx.emit({ type: 'error', error: asKafkaRxError(error) });
      return EMPTY;
    }),
  );
}
