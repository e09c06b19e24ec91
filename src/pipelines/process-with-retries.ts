import {
  catchError,
  defer,
  EMPTY,
  ignoreElements,
  of,
  retry,
  timer,
  type ObservableInput,
  type OperatorFunction,
} from 'rxjs';
import { KafkaRxError } from '../errors';
import { processInLanes } from '../consumer/process-records';
import type { AnyConsumerRecord, UndeserializedRecord } from '../consumer/types';
import { backoffMs } from '../time/backoff';
import { defaultClock, type Clock } from '../time/clock';
import { ProcessingFailure } from './processing-failure';

export interface ProcessWithRetriesOptions {
  /** How many times the handler runs at most for one record (default 3). */
  readonly attempts?: number;
  /** The wait before the first retry (default 100 ms); it doubles for each further one. */
  readonly backoffMs?: number;
  /** The longest wait between attempts (default 10000 ms). */
  readonly backoffMaxMs?: number;
  /** How many partitions are handled at once (default 1), as for `processRecords`. */
  readonly concurrency?: number;
  /** The clock the waits run on (a TestScheduler in tests). */
  readonly clock?: Clock;
}

/** The records of a stream that deserialized: what a handler is given. */
export type Deserialized<R> = Exclude<R, UndeserializedRecord>;

/**
 * `processRecords` with retries: runs `handle` for each record, again after a backoff on the clock
 * when it throws or its work fails, up to `attempts` times. Records of one partition are handled
 * one at a time, in offset order. Emits each record once dealt with:
 * - the record itself, acknowledged, when its handler succeeded;
 * - a `ProcessingFailure` (record, last error, attempts), not acknowledged, when every attempt failed;
 * - an `UndeserializedRecord` as it came, not acknowledged (the handler never sees one).
 * What is not acknowledged holds back its partition's commits: follow with `deadLetter` (or ack
 * such records yourself) so that a bad record does not stop progress.
 *
 * @example
 * consumer.messages$.pipe(processWithRetries((r) => save(r.value), { attempts: 5 }), deadLetter(producer, 'orders.dlt'))
 */
export function processWithRetries<R extends AnyConsumerRecord>(
  handle: (record: Deserialized<R>) => ObservableInput<unknown> | void,
  {
    attempts = 3,
    backoffMs: initial = 100,
    backoffMaxMs = 10000,
    concurrency = 1,
    clock = defaultClock,
  }: ProcessWithRetriesOptions = {},
): OperatorFunction<R, R | ProcessingFailure<R>> {
  if (!Number.isInteger(attempts) || attempts < 1)
    throw new KafkaRxError(
      'InvalidArgumentError',
      `processWithRetries: attempts must be a whole number >= 1, got ${attempts}`,
    );
  const backoff = { initial, max: backoffMaxMs, jitter: 0 };
  const work = (record: R): ObservableInput<unknown> => {
    if (record.error !== undefined) return EMPTY;
    return defer(() => handle(record as Deserialized<R>) ?? EMPTY).pipe(
      ignoreElements(),
      retry({ count: attempts - 1, delay: (_error, retried) => timer(backoffMs(retried, backoff), clock) }),
      catchError((error: unknown) => of(new ProcessingFailure(record, error, attempts))),
    );
  };
  return processInLanes(work, { concurrency }, (record, last) => {
    if (last instanceof ProcessingFailure) return last as ProcessingFailure<R>;
    if (record.error === undefined) record.ack();
    return record;
  });
}
