import { map } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { createProducer, SerializationError, serializers } from '../../src';
import { createMemoryTransport } from '../../src/transport';
import { createFakeCluster } from '../../src/testing';

interface Order {
  readonly id: string;
  readonly total: number;
}

function setup(scheduler: TestScheduler) {
  const cluster = createFakeCluster({ topics: { orders: 1 }, clock: scheduler });
  const options = {
    brokers: cluster.bootstrap,
    clock: scheduler,
    transport: createMemoryTransport({ handler: cluster.handler, clock: scheduler }),
    lingerMs: 10,
  };
  return { cluster, options };
}

describe('a producer with serializers', () => {
  it('writes keys, values and header values through them', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ expectObservable, flush }) => {
      const { cluster, options } = setup(scheduler);
      const producer = createProducer({
        ...options,
        serializers: {
          key: serializers.string,
          value: serializers.json<Order>(),
          headers: (n: number) => String(n),
        },
      });
      const sent$ = producer.send([
        { topic: 'orders', partition: 0, key: 'a', value: { id: 'a', total: 3 }, headers: { attempt: 2 } },
        { topic: 'orders', partition: 0, key: null, value: null, headers: [['none', null]] },
      ]);
      expectObservable(sent$.pipe(map((metas) => metas.map((m) => m.offset)))).toBe('10ms (a|)', {
        a: [0n, 1n],
      });
      flush();
      expect(
        cluster
          .records('orders', 0)
          .map((r) => [r.key?.toString() ?? null, r.value?.toString() ?? null, r.headers]),
      ).toEqual([
        ['a', '{"id":"a","total":3}', [['attempt', Buffer.from('2')]]],
        [null, null, [['none', null]]],
      ]);
    });
  });

  it('refuses the whole send with a SerializationError when a serializer throws', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ expectObservable, flush }) => {
      const { cluster, options } = setup(scheduler);
      const producer = createProducer({ ...options, serializers: { value: serializers.json<unknown>() } });
      const sent$ = producer.send([
        { topic: 'orders', partition: 0, value: { ok: true } },
        { topic: 'orders', partition: 0, value: undefined },
      ]);
      expectObservable(sent$).toBe(
        '#',
        undefined,
        new SerializationError('value', 'orders', new TypeError('JSON cannot represent undefined')),
      );
      flush();
      expect(cluster.records('orders', 0)).toEqual([]);
    });
  });

  it('refuses serializers that are not functions', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    const { options } = setup(scheduler);
    expect(() => createProducer({ ...options, serializers: { key: 'string' as never } })).toThrow(
      'serializers.key must be a function',
    );
  });
});
