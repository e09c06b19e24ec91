import { map } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { createProducer } from '../../src/producer';
import { createMemoryTransport } from '../../src/transport';
import { createFakeCluster } from '../../src/testing';

// kafka-rx's own producer through the memory transport: the fake answers in virtual time.
describe('fake cluster through the memory transport', () => {
  it('takes an idempotent kafka-rx producer batch after lingerMs, on the clock', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    let stored: unknown;
    scheduler.run(({ expectObservable }) => {
      const cluster = createFakeCluster({ brokers: 2, topics: { t: 2 }, clock: scheduler });
      const producer = createProducer({
        brokers: cluster.bootstrap,
        clock: scheduler,
        transport: createMemoryTransport({ handler: cluster.handler, clock: scheduler }),
        lingerMs: 10,
        idempotent: true,
      });
      const sent$ = producer.send([
        { topic: 't', partition: 1, key: 'k1', value: 'v1', timestamp: 5 },
        { topic: 't', partition: 1, key: 'k2', value: 'v2', timestamp: 6 },
      ]);
      expectObservable(
        sent$.pipe(map((metas) => metas.map((m) => `${m.partition}@${m.offset}`).join())),
      ).toBe('10ms (a|)', {
        a: '1@0,1@1',
      });
      scheduler.schedule(() => {
        stored = cluster
          .records('t', 1)
          .map((r) => [r.offset, r.key?.toString(), r.value?.toString(), r.timestamp]);
      }, 20);
    });
    expect(stored).toEqual([
      [0n, 'k1', 'v1', 5],
      [1n, 'k2', 'v2', 6],
    ]);
  });
});
