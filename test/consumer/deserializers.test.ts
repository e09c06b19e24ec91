import { filter, finalize, map, take, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { createConsumer, deserializers, DeserializationError, type ConsumerEvent } from '../../src';
import { FetchedConsumerRecord } from '../../src/consumer/consumer-record';
import { createMemoryTransport } from '../../src/transport';
import { createFakeCluster } from '../../src/testing';

interface Order {
  readonly id: string;
}

function setup(scheduler: TestScheduler) {
  const cluster = createFakeCluster({ topics: { orders: 1 }, clock: scheduler });
  cluster.append('orders', 0, [
    { key: 'a', value: '{"id":"a"}', headers: [['source', 'web']], timestamp: 1 },
    { key: 'b', value: '{"id":', headers: [], timestamp: 2 },
    { key: null, value: null, timestamp: 3 },
    { key: 'c', value: '{"id":"c"}', timestamp: 4 },
  ]);
  const options = {
    brokers: cluster.bootstrap,
    groupId: 'g',
    topics: ['orders'],
    fromBeginning: true,
    clock: scheduler,
    transport: createMemoryTransport({ handler: cluster.handler, clock: scheduler }),
  };
  return { cluster, options };
}

describe('a consumer with deserializers', () => {
  it('delivers typed keys, values and headers; a refused record comes with error and its bytes, on messages$ and events$', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ expectObservable }) => {
      const { options } = setup(scheduler);
      const consumer = createConsumer({
        ...options,
        deserializers: {
          key: deserializers.string,
          value: deserializers.json<Order>(),
          headers: deserializers.string,
        },
      });
      const events: ConsumerEvent[] = [];
      consumer.events$
        .pipe(filter((e) => e.type === 'deserialization-error'))
        .subscribe((e) => events.push(e));
      const seen$ = consumer.messages$.pipe(
        take(4),
        map((r) =>
          r.error === undefined
            ? { offset: r.offset, key: r.key, id: r.value?.id ?? null, headers: r.headers }
            : { offset: r.offset, failed: r.error.part, data: r.error.data.toString(), value: r.value },
        ),
        toArray(),
      );
      expectObservable(seen$).toBe('(a|)', {
        a: [
          { offset: 0n, key: 'a', id: 'a', headers: [['source', 'web']] },
          { offset: 1n, failed: 'value', data: '{"id":', value: Buffer.from('{"id":') },
          { offset: 2n, key: null, id: null, headers: [] },
          { offset: 3n, key: 'c', id: 'c', headers: [] },
        ],
      });
      scheduler.schedule(() => {
        expect(events).toHaveLength(1);
        expect(events[0]).toMatchObject({
          type: 'deserialization-error',
          topic: 'orders',
          partition: 0,
          offset: 1n,
        });
        expect((events[0] as { error: unknown }).error).toBeInstanceOf(DeserializationError);
      }, 1000);
    });
  });

  it('commits past refused records as past any other (ack mode auto)', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ expectObservable }) => {
      const { options } = setup(scheduler);
      const consumer = createConsumer({ ...options, deserializers: { value: deserializers.json<Order>() } });
      const consuming = consumer.messages$.subscribe();
      const committed$ = consumer.commits$.pipe(
        map((c) => c.offsets.map((o) => o.offset)),
        filter((offsets) => offsets.length > 0),
        take(1),
        finalize(() => consuming.unsubscribe()),
      );
      expectObservable(committed$).toBe('5000ms (a|)', { a: [4n] });
    });
  });

  it('names the header a header deserializer refused', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ expectObservable }) => {
      const { options } = setup(scheduler);
      const consumer = createConsumer({
        ...options,
        deserializers: { headers: deserializers.json<number>() },
      });
      const first$ = consumer.messages$.pipe(
        take(1),
        map((r) =>
          r.error === undefined ? 'ok' : `${r.error.part} ${r.error.header} ${r.error.data.toString()}`,
        ),
      );
      expectObservable(first$).toBe('(a|)', { a: 'header source web' });
    });
  });

  it('without deserializers, delivers the fetched bytes as before', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ expectObservable }) => {
      const { options } = setup(scheduler);
      const consumer = createConsumer(options);
      const values$ = consumer.messages$.pipe(
        take(2),
        // The plain record class, not a deserializing one: the default path is the one it always was.
        map((r) => [
          Buffer.isBuffer(r.value),
          r.error,
          Object.getPrototypeOf(r) === FetchedConsumerRecord.prototype,
        ]),
        toArray(),
      );
      expectObservable(values$).toBe('(a|)', {
        a: [
          [true, undefined, true],
          [true, undefined, true],
        ],
      });
    });
  });

  it('refuses deserializers that are not functions', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    const { options } = setup(scheduler);
    expect(() => createConsumer({ ...options, deserializers: { value: 'json' as never } })).toThrow(
      'deserializers.value must be a function',
    );
    expect(() =>
      createConsumer({ ...options, deserializers: { vaule: deserializers.json() } as never }),
    ).toThrow(/deserializers\.vaule/);
  });
});
