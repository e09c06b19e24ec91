import { Observable, type OperatorFunction } from 'rxjs';
import { backpressureOf } from './backpressure';
import type { Producer } from './producer';
import type { ProducerRecord, RecordMetadata } from './producer-record';

/**
 * Sends each value as a record and emits its `RecordMetadata` once acknowledged, in the order of
 * the values (later values may be acknowledged first; they wait). Sends are not awaited one by
 * one, so records batch together; an error of any record errors the stream.
 *
 * Backpressured by the producer's `bufferMemory`: while a send waits for room (or for metadata),
 * values from the source wait here as they came, and `toRecord` is called for them only when
 * room is freed, so the records the producer holds stay within `bufferMemory`.
 *
 * @example
 * orders$.pipe(produce(producer, (order) => ({ topic: 'orders', key: order.id, value: JSON.stringify(order) })))
 */
export function produce<T>(
  producer: Producer,
  toRecord: (value: T, index: number) => ProducerRecord,
): OperatorFunction<T, RecordMetadata> {
  return (source: Observable<T>) =>
    new Observable<RecordMetadata>((subscriber) => {
      const backpressure = backpressureOf(producer);
      /** Values not yet sent, from `head` on. */
      let waiting: (T | undefined)[] = [];
      let head = 0;
      /** Metadata acknowledged out of order, held until every earlier value's has been emitted. */
      const early = new Map<number, RecordMetadata>();
      let sent = 0;
      let emitted = 0;
      let sourceDone = false;
      let pumping = false;

      const emitReady = (): void => {
        while (early.has(emitted)) {
          const metadata = early.get(emitted)!;
          early.delete(emitted++);
          subscriber.next(metadata);
        }
        if (sourceDone && head === waiting.length && emitted === sent) subscriber.complete();
      };

      const pump = (): void => {
        if (pumping) return; // a send drains the producer's queue, which may call back here
        pumping = true;
        try {
          while (head < waiting.length && !subscriber.closed && !backpressure?.blocked()) {
            const value = waiting[head] as T;
            waiting[head++] = undefined;
            if (head === waiting.length) {
              waiting = [];
              head = 0;
            } else if (head >= 1024 && head * 2 >= waiting.length) {
              waiting = waiting.slice(head);
              head = 0;
            }
            const index = sent++;
            producer.send(toRecord(value, index)).subscribe({
              next: ([metadata]) => early.set(index, metadata),
              error: (error: unknown) => subscriber.error(error),
              complete: emitReady,
            });
          }
        } catch (error) {
          subscriber.error(error);
        } finally {
          pumping = false;
        }
        emitReady();
      };

      const unblocked = backpressure?.unblocked$.subscribe(pump);
      const upstream = source.subscribe({
        next: (value) => {
          waiting.push(value);
          pump();
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          sourceDone = true;
          emitReady();
        },
      });
      return () => {
        upstream.unsubscribe();
        unblocked?.unsubscribe();
      };
    });
}
