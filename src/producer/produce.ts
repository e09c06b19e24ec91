import { defer, type Observable, type OperatorFunction } from 'rxjs';
import { map, mergeMap } from 'rxjs/operators';
import type { Producer } from './producer';
import type { ProducerRecord, RecordMetadata } from './producer-record';

/**
 * Sends each value as a record and emits its `RecordMetadata` once acknowledged, in the order of
 * the values (later values may be acknowledged first; they wait). Sends are not awaited one by
 * one, so records batch together; an error of any record errors the stream.
 *
 * @example
 * orders$.pipe(produce(producer, (order) => ({ topic: 'orders', key: order.id, value: JSON.stringify(order) })))
 */
export function produce<T>(
  producer: Producer,
  toRecord: (value: T, index: number) => ProducerRecord,
): OperatorFunction<T, RecordMetadata> {
  return (source: Observable<T>) =>
    defer(() => {
      const done = new Map<number, RecordMetadata>();
      let next = 0;
      return source.pipe(
        mergeMap((value, index) =>
          producer.send(toRecord(value, index)).pipe(map(([metadata]) => [index, metadata] as const)),
        ),
        // Hold results that arrive early until every earlier value has been acknowledged.
        mergeMap(([index, metadata]) => {
          done.set(index, metadata);
          const ready: RecordMetadata[] = [];
          while (done.has(next)) {
            ready.push(done.get(next)!);
            done.delete(next++);
          }
          return ready;
        }),
      );
    });
}
