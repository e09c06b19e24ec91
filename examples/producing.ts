/**
 * Producing: `send` is eager (the records are accepted at the call) and its result is both
 * awaitable and an Observable; `produce` is the same as an operator, in input order.
 *
 *   import { createProducer, produce, type RecordMetadata } from 'kafka-rx';
 *
 * Run: node --require ./bench/register.js examples/producing.ts [host:port]
 */
import { from, lastValueFrom, toArray } from 'rxjs';
import { createProducer, produce, type ProducerRecord, type RecordMetadata } from '../src';
import { runExample } from './run-example';

/** An order as the `orders` topic carries it (JSON in the record value). */
export interface Order {
  readonly id: string;
  readonly total: number;
}

export interface ProducingOptions {
  readonly brokers: string[];
  /** The first is sent and awaited, the others go through the `produce` operator. */
  readonly orders: readonly Order[];
  /** A few records sent with a subscriber. */
  readonly records: readonly ProducerRecord[];
  /** Where results are reported; `console.log` by default. */
  readonly log?: (item: unknown) => void;
}

/** Sends the orders and records; returns where the first order and the operator's orders went. */
export async function main({
  brokers,
  orders: [order, ...rest],
  records,
  log = console.log,
}: ProducingOptions) {
  const text = JSON.stringify(order);
  const orders$ = from(rest);
  // #region produce
  const producer = createProducer({ brokers, compression: 'lz4' });

  // Eager: the record is accepted at the call. Await the result...
  const [{ partition, offset }] = await producer.send({ topic: 'orders', key: order.id, value: text });

  // ...or subscribe to it: an Observable that replays the metadata, to late subscribers too.
  producer.send(records).subscribe({ next: (metadata) => log(metadata), error: (e) => log(e) });

  // As an operator: emits each input's metadata once acknowledged, in input order.
  const written$ = orders$.pipe(
    produce(producer, (o) => ({ topic: 'orders', key: o.id, value: JSON.stringify(o) })),
  );
  // #endregion
  const written: RecordMetadata[] = await lastValueFrom(written$.pipe(toArray()));
  // #region close
  await producer.flush(); // sends what is batched now, waits for every answer
  await producer.close(); // flushes first; gives up after closeTimeoutMs (10000)
  // #endregion
  return { first: { partition, offset }, written };
}

if (require.main === module) {
  void runExample(
    'orders',
    async (brokers) => {
      const orders = [250, 20, 100].map((total, i) => ({ id: `order-${i}`, total }));
      const { first, written } = await main({
        brokers,
        orders,
        records: [{ topic: 'orders', value: 'audit' }],
      });
      return [first, ...written].map((m) => `${m.partition}@${m.offset}`).join(' ');
    },
    () => undefined,
  );
}
