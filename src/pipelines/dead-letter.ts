import { Observable, type OperatorFunction } from 'rxjs';
import { fetchedParts } from '../consumer/consumer-record';
import { holdRecord } from '../consumer/offsets/partition-state';
import type { AnyConsumerRecord } from '../consumer/types';
import type { Producer } from '../producer/types';
import type { ProducerRecord } from '../producer/producer-record';
import { deadLetterHeaders as names } from './dead-letter-headers';
import { ProcessingFailure } from './processing-failure';

export interface DeadLetterOptions {
  /** The partition of the dead-letter topic; by default the producer's partitioner chooses (by the record's key). */
  readonly partition?: number;
}

const describe = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

/** The dead-letter record: the record's key, value and headers as fetched, and headers saying why. */
function deadLetterRecord(
  topic: string,
  item: AnyConsumerRecord | ProcessingFailure,
  partition: number | undefined,
): ProducerRecord {
  const record = item instanceof ProcessingFailure ? item.record : item;
  const parts = fetchedParts(record);
  const why: Array<[string, string]> =
    item instanceof ProcessingFailure
      ? [
          [names.reason, 'processing'],
          [names.error, describe(item.error)],
          [names.attempts, String(item.attempts)],
        ]
      : [
          [names.reason, 'deserialization'],
          [names.error, describe(item.error)],
          [names.part, item.error!.part],
          [names.attempts, '0'],
        ];
  return {
    topic,
    partition,
    key: parts.key,
    value: parts.value,
    headers: [
      ...parts.headers,
      ...why,
      [names.topic, record.topic],
      [names.partition, String(record.partition)],
      [names.offset, record.offset.toString()],
    ],
  };
}

/**
 * Forwards records that cannot be processed to a dead-letter topic: a record its deserializers
 * refused (`record.error`), and a `ProcessingFailure` from `processWithRetries`. The record's key,
 * value and headers go as fetched, with `kafka-rx.dlt.*` headers saying why (`deadLetterHeaders`).
 * The record is acknowledged only once the dead-letter topic has it: if that send fails, the
 * stream errors with its error and the record stays unacknowledged (not committed: consumed again).
 *
 * Emits every item: the others at once, untouched; dead letters once written. Use a producer
 * without serializers (the bytes go as they are). Put it where records come synchronously from
 * the consumer or from `processWithRetries`, as `processRecords`.
 *
 * @example
 * consumer.messages$.pipe(processWithRetries(save, { attempts: 3 }), deadLetter(producer, 'orders.dlt')).subscribe();
 */
export function deadLetter<T extends AnyConsumerRecord | ProcessingFailure<AnyConsumerRecord>>(
  producer: Producer,
  topic: string,
  { partition }: DeadLetterOptions = {},
): OperatorFunction<T, T> {
  return (source) =>
    new Observable<T>((subscriber) => {
      let pending = 0;
      let sourceDone = false;
      const settled = (): void => {
        if (sourceDone && pending === 0) subscriber.complete();
      };
      const upstream = source.subscribe({
        next: (item) => {
          const failure = item instanceof ProcessingFailure ? (item as ProcessingFailure) : null;
          const record: AnyConsumerRecord = failure ? failure.record : (item as AnyConsumerRecord);
          if (failure === null && record.error === undefined) {
            subscriber.next(item);
            return;
          }
          // Synchronously, while the consumer is delivering it: it waits for its ack from now on.
          if (failure === null) holdRecord(record);
          pending++;
          producer.send(deadLetterRecord(topic, failure ?? record, partition)).subscribe({
            error: (error: unknown) => subscriber.error(error),
            complete: () => {
              pending--;
              record.ack();
              subscriber.next(item);
              settled();
            },
          });
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          sourceDone = true;
          settled();
        },
      });
      return () => upstream.unsubscribe();
    });
}
