import { from, Observable, type ObservableInput, type OperatorFunction, type Unsubscribable } from 'rxjs';
import { channels, isTraced } from '../diagnostics/channels';
import { payloads, type ProcessTrace } from '../diagnostics/payloads';
import { KafkaRxError } from '../errors';
import { holdRecord } from './offsets/partition-state';
import type { AnyConsumerRecord } from './types';

export interface ProcessRecordsOptions {
  /** How many partitions are handled at once (default 1). Records of one partition never overlap. */
  readonly concurrency?: number;
}

/** The records of one partition waiting for the handler, in offset order. */
interface Lane<T> {
  records: T[];
  head: number;
  /** Its head record is being handled, or it waits in line for a slot. */
  busy: boolean;
  work: Unsubscribable | null;
  /** The `kafka-rx:process` payload of the work under way, when someone listened as it began. */
  trace?: ProcessTrace<T>;
}

/**
 * Runs `handle` for each record and marks the record done (`record.ack()`) when its work
 * completes: records of one partition one at a time in offset order, up to `concurrency`
 * partitions at once (taking turns, a record each, when more are waiting). Emits each record once
 * it is done.
 *
 * The records it is given stay outstanding until done: they count against their partition's
 * buffer (a slow handler stops fetching, so memory stays bounded) and commits stop before the
 * first one not done (at least once). Put it straight on `messages$` or `records$`, or after
 * synchronous stages only (`filter`, `tap`, `take`): a record that reaches it through an
 * asynchronous stage was done, in ack mode `auto`, when the subscriber's `next` returned.
 *
 * `handle` returns a Promise, an Observable (done when it completes; its values are ignored) or
 * nothing (done when it returns). If it throws or its work fails, the stream errors with that
 * error: the failed record and the records after it are not done, so nothing from that record on
 * is committed for its partition, and work under way for other partitions is unsubscribed.
 *
 * @example
 * consumer.messages$.pipe(processRecords((record) => save(record), { concurrency: 4 })).subscribe();
 */
export function processRecords<T extends AnyConsumerRecord>(
  handle: (record: T) => ObservableInput<unknown> | void,
  options: ProcessRecordsOptions = {},
): OperatorFunction<T, T> {
  return processInLanes(handle, options, (record) => {
    record.ack();
    return record;
  });
}

/**
 * `processRecords` with its last step given: `done(record, last)` is called when a record's work
 * completes (`last`: the last value the work emitted) and says what to emit; it acknowledges the
 * record or leaves it outstanding (as `processWithRetries` does for a record whose handler failed).
 */
export function processInLanes<T extends AnyConsumerRecord, R>(
  handle: (record: T) => ObservableInput<unknown> | void,
  { concurrency = 1 }: ProcessRecordsOptions,
  done: (record: T, last: unknown) => R,
): OperatorFunction<T, R> {
  if (!(concurrency >= 1) || (!Number.isInteger(concurrency) && concurrency !== Infinity)) {
    throw new KafkaRxError(
      'InvalidArgumentError',
      `processRecords: concurrency must be a positive integer, got ${String(concurrency)}`,
    );
  }
  return (source) =>
    new Observable<R>((subscriber) => {
      const lanes = new Map<string, Lane<T>[]>();
      const ready: Lane<T>[] = [];
      let running = 0;
      let pumping = false;
      let sourceDone = false;

      const laneOf = (record: T): Lane<T> => {
        let byPartition = lanes.get(record.topic);
        if (byPartition === undefined) lanes.set(record.topic, (byPartition = []));
        let lane = byPartition[record.partition];
        if (lane === undefined)
          byPartition[record.partition] = lane = { records: [], head: 0, busy: false, work: null };
        return lane;
      };

      // Starts lanes while slots are free; a loop, not recursion, when work completes synchronously.
      const pump = (): void => {
        if (pumping) return;
        pumping = true;
        while (running < concurrency && ready.length > 0 && !subscriber.closed)
          start(ready.shift() as Lane<T>);
        pumping = false;
        if (sourceDone && running === 0 && ready.length === 0) subscriber.complete();
      };

      const finish = (lane: Lane<T>, record: T, trace: ProcessTrace<T> | undefined, last: unknown): void => {
        lane.work = null;
        lane.trace = undefined;
        lane.records[lane.head++] = undefined as unknown as T;
        running--;
        if (trace) channels.process.asyncStart.publish(trace);
        subscriber.next(done(record, last));
        if (trace) channels.process.asyncEnd.publish(trace);
        if (lane.head < lane.records.length) ready.push(lane);
        else {
          lane.records = [];
          lane.head = 0;
          lane.busy = false;
        }
        pump();
      };

      const start = (lane: Lane<T>): void => {
        const record = lane.records[lane.head];
        running++;
        const trace = isTraced(channels.process) ? payloads.process(record) : undefined;
        const failed = (error: unknown): void => {
          // Ended here, not by the teardown that the error runs.
          lane.trace = undefined;
          if (trace) {
            trace.error = error;
            channels.process.error.publish(trace);
            channels.process.asyncStart.publish(trace);
          }
          subscriber.error(error);
          if (trace) channels.process.asyncEnd.publish(trace);
        };
        let result: ObservableInput<unknown> | void;
        if (trace) channels.process.start.publish(trace);
        try {
          result = handle(record);
        } catch (error) {
          if (trace) channels.process.end.publish(trace);
          failed(error);
          return;
        }
        if (trace) channels.process.end.publish(trace);
        if (result === undefined || result === null) {
          finish(lane, record, trace, undefined);
          return;
        }
        let completed = false;
        let last: unknown;
        const work = from(result).subscribe({
          next: (value) => (last = value),
          error: failed,
          complete: () => {
            completed = true;
            finish(lane, record, trace, last);
          },
        });
        if (!completed) {
          lane.work = work;
          lane.trace = trace;
        }
      };

      const upstream = source.subscribe({
        next: (record) => {
          // Synchronously, while the consumer is delivering it: from now on it waits for its ack.
          holdRecord(record);
          if (subscriber.closed) return;
          const lane = laneOf(record);
          lane.records.push(record);
          if (!lane.busy) {
            lane.busy = true;
            ready.push(lane);
          }
          pump();
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          sourceDone = true;
          pump();
        },
      });

      return () => {
        upstream.unsubscribe();
        for (const byPartition of lanes.values())
          for (const lane of byPartition) {
            lane?.work?.unsubscribe();
            // Work cut short ends its trace without a result (so no span is left open).
            if (lane?.work && lane.trace) {
              channels.process.asyncStart.publish(lane.trace);
              channels.process.asyncEnd.publish(lane.trace);
            }
          }
      };
    });
}
