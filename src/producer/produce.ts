import { Observable, type OperatorFunction } from 'rxjs';
import { backpressureOf } from './backpressure';
import type { Producer } from './types';
import { withoutConsumed } from './without-consumed';
import { estimateRecordSize, type ProducerRecord, type RecordMetadata } from './producer-record';

/** The most values sent together: one send per value would cost its own result per record. */
const MAX_SEND = 1000;

/**
 * Sends each value as a record and emits its `RecordMetadata` once acknowledged, in the order of
 * the values (later values may be acknowledged first; they wait). Sends are not awaited one by
 * one, so records batch together; an error of any record errors the stream.
 *
 * Backpressured by the producer's `bufferMemory`: while a send waits for room (or for metadata),
 * values from the source wait here as they came, and `toRecord` is called for them only when
 * room is freed, so the records the producer holds stay within `bufferMemory`. Values waiting
 * together are sent together (up to 1000, and what fits), so a fast source is sent in arrays.
 * Values a source emits while it is being subscribed to (a synchronous source, such as
 * `from(array)`) are gathered the same way, so they go in arrays even when the producer has room.
 *
 * @example
 * orders$.pipe(produce(producer, (order) => ({ topic: 'orders', key: order.id, value: JSON.stringify(order) })))
 */
export function produce<T, K = Buffer | string, V = Buffer | string, H = Buffer | string>(
  producer: Producer<K, V, H>,
  toRecord: (value: T, index: number) => ProducerRecord<K, V, H>,
): OperatorFunction<T, RecordMetadata> {
  return (source: Observable<T>) =>
    new Observable<RecordMetadata>((subscriber) => {
      const backpressure = backpressureOf(producer as unknown as Producer);
      /** Values not yet sent, from `head` on. */
      let waiting: (T | undefined)[] = [];
      let head = 0;
      /**
       * The sends in the order made, from `oldest` on, each with its metadata once acknowledged: a
       * send acknowledged before an earlier one waits here, as its array, until that one is emitted.
       */
      let results: ({ metadata?: RecordMetadata[]; next: number } | undefined)[] = [];
      let oldest = 0;
      let sent = 0;
      let emitted = 0;
      let sourceDone = false;
      let pumping = false;
      /**
       * The source emits inside its own `subscribe`: values gather and go in arrays of MAX_SEND. A send
       * costs far more than a record (its result, the subscriptions that settle it), so one send a value
       * of a synchronous source cost tens of µs a record once the producer knew its topics.
       */
      let subscribing = true;

      const emitReady = (): void => {
        while (oldest < results.length && results[oldest]!.metadata) {
          const result = results[oldest]!;
          const metadata = result.metadata!;
          // Progress is kept before each value goes out, so a subscriber calling back in is safe.
          while (result.next < metadata.length) {
            emitted++;
            subscriber.next(metadata[result.next++]);
          }
          // Emitted: its metadata must not live on here until the stream ends (a million records
          // sent in a thousand sends held every RecordMetadata, ~100 MB).
          if (results[oldest] === result) results[oldest++] = undefined;
        }
        const remaining = withoutConsumed(results, oldest);
        if (remaining !== results) [results, oldest] = [remaining, 0];
        if (sourceDone && head === waiting.length && emitted === sent) subscriber.complete();
      };

      const pump = (): void => {
        if (pumping) return; // a send drains the producer's queue, which may call back here
        pumping = true;
        try {
          while (head < waiting.length && !subscriber.closed && !backpressure?.blocked()) {
            // The values waiting go as one send, as many as fit in the room left (and one more).
            let room = backpressure?.room() ?? Infinity;
            const records: ProducerRecord<K, V, H>[] = [];
            while (head < waiting.length && records.length < MAX_SEND && (room > 0 || records.length === 0)) {
              const value = waiting[head] as T;
              waiting[head++] = undefined;
              const record = toRecord(value, sent++);
              records.push(record);
              room -= estimateRecordSize(record);
            }
            const unsent = withoutConsumed(waiting, head);
            if (unsent !== waiting) [waiting, head] = [unsent, 0];
            const result: { metadata?: RecordMetadata[]; next: number } = { next: 0 };
            results.push(result);
            producer.send(records).subscribe({
              next: (metadata) => (result.metadata = metadata),
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
          if (!subscribing || waiting.length - head >= MAX_SEND) pump();
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          sourceDone = true;
          emitReady();
        },
      });
      subscribing = false;
      pump();
      return () => {
        upstream.unsubscribe();
        unblocked?.unsubscribe();
      };
    });
}
