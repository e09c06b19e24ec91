import { map, type Observable } from 'rxjs';
import {
  createConsumer,
  createProducer,
  deadLetter,
  deserializers,
  ProcessingFailure,
  processRecords,
  processWithRetries,
  serializers,
  createShareConsumer,
  type ConsumerRecord,
  type ShareRecord,
  type UndeserializedShareRecord,
  type DeliveredRecord,
  type UndeserializedRecord,
} from '../../src';

// Checked by `tsc` (this file is in tsconfig.json): each `is<...>` must be `true`, and each
// `@ts-expect-error` must meet an error, or the type check fails. Nothing here connects: the
// consumers and producers are created (no I/O until subscribed or sent) and closed.
type Equal<X, Y> = (<T>() => T extends X ? 1 : 2) extends <T>() => T extends Y ? 1 : 2 ? true : false;
function is<T extends true>(): T | undefined {
  return undefined;
}

interface Order {
  readonly id: string;
  readonly total: number;
}

const options = { brokers: ['127.0.0.1:1'], groupId: 'g', topics: ['orders'] };
type Item<S> = S extends Observable<infer T> ? T : never;

// Without deserializers: records as fetched, no check needed (as before).
is<Equal<DeliveredRecord, ConsumerRecord>>();
is<Equal<ConsumerRecord['value'], Buffer | null>>();

// With them: a deserialized record or an undeserialized one, told apart by `error`.
is<Equal<DeliveredRecord<string, Order>, ConsumerRecord<string, Order> | UndeserializedRecord>>();

function typed(): void {
  const consumer = createConsumer({
    ...options,
    deserializers: { key: deserializers.string, value: deserializers.json<Order>() },
  });
  type Record = Item<typeof consumer.messages$>;
  is<Equal<Record, ConsumerRecord<string, Order, Buffer> | UndeserializedRecord>>();
  consumer.messages$.pipe(
    map((record) => {
      // @ts-expect-error the value is an Order only once `error` is checked
      const unchecked: number = record.value!.total;
      if (record.error !== undefined) return record.error.data.length + unchecked;
      is<Equal<typeof record.value, Order | null>>();
      is<Equal<typeof record.key, string | null>>();
      return record.value?.total ?? 0;
    }),
  );
  // processRecords takes typed records as they are.
  consumer.messages$.pipe(processRecords((record) => void record.offset));
  // The handler of processWithRetries sees deserialized records only.
  const outcomes$ = consumer.messages$.pipe(
    processWithRetries((record) => {
      is<Equal<typeof record.value, Order | null>>();
      return record.value === null ? undefined : Promise.resolve(record.value.total);
    }),
  );
  is<Equal<Item<typeof outcomes$>, Record | ProcessingFailure<Record>>>();
  const producer = createProducer({ brokers: ['127.0.0.1:1'] });
  outcomes$.pipe(deadLetter(producer, 'orders.dlt'));
  void consumer.close();
  void producer.close();
}

function typedShareConsumer(): void {
  const consumer = createShareConsumer({
    brokers: ['127.0.0.1:1'],
    groupId: 'g',
    topics: ['jobs'],
    deserializers: { value: deserializers.json<Order>() },
  });
  is<Equal<Item<typeof consumer.records$>, ShareRecord<Buffer, Order, Buffer> | UndeserializedShareRecord>>();
  void consumer.close();
}

function typedProducer(): void {
  const producer = createProducer({
    brokers: ['127.0.0.1:1'],
    serializers: { key: serializers.string, value: serializers.json<Order>() },
  });
  void producer.send({ topic: 'orders', key: 'a', value: { id: 'a', total: 1 } });
  // @ts-expect-error the value must be an Order
  void producer.send({ topic: 'orders', key: 'a', value: { id: 'a' } });
  // @ts-expect-error the key must be a string
  void producer.send({ topic: 'orders', key: 1, value: null });
  const consumer = createConsumer(options);
  // @ts-expect-error deadLetter writes the fetched bytes: a producer with serializers would encode them again
  consumer.messages$.pipe(deadLetter(producer, 'orders.dlt'));
  void producer.close();
  void consumer.close();
}

describe('typed records', () => {
  it('are checked by the type checker (this file compiles only if the types hold)', () => {
    expect(typeof typed).toBe('function');
    expect(typeof typedProducer).toBe('function');
    expect(typeof typedShareConsumer).toBe('function');
  });
});
