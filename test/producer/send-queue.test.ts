import fc from 'fast-check';
import { lastValueFrom, range, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { createProducer, produce, type Producer, type RecordMetadata } from '../../src/producer';
import { createFakeCluster, type FakeCluster } from '../../src/testing';
import { createMemoryTransport } from '../../src/transport';
import { startMockCluster, type MockCluster } from '../broker/mock-cluster';
import { jitteryClock } from '../support/jittery-clock';

// Many sends made before the first answer (metadata, producer id) wait in one queue. They must all
// be placed and sent, however many there are: the queue used to be drained by recursion, and past
// about 220 sends the stack overflowed inside RxJS, which lost the error and stopped the queue for good.

interface Settings {
  n: number;
  partitions: number;
  batchBytes: number;
  lingerMs: number;
  maxInFlightPerBroker: number;
  idempotent: boolean;
  /** Sends made at once, then a pause of `gapMs`, in turn (all at once when `burst >= n`). */
  burst: number;
  gapMs: number;
}

const settings: fc.Arbitrary<Settings> = fc.record({
  n: fc.integer({ min: 1, max: 1500 }),
  partitions: fc.integer({ min: 1, max: 8 }),
  batchBytes: fc.integer({ min: 100, max: 20000 }),
  lingerMs: fc.integer({ min: 0, max: 20 }),
  maxInFlightPerBroker: fc.integer({ min: 1, max: 5 }),
  idempotent: fc.boolean(),
  burst: fc.integer({ min: 1, max: 2000 }),
  gapMs: fc.integer({ min: 0, max: 7 }),
});

function producerOptions(s: Settings) {
  return {
    idempotent: s.idempotent,
    acks: s.idempotent ? ('all' as const) : (1 as const),
    batchBytes: s.batchBytes,
    lingerMs: s.lingerMs,
    maxInFlightPerBroker: s.maxInFlightPerBroker,
  };
}

/** Every record in the log once, and each key's records in the order they were sent. */
function expectWrittenInOrder(
  cluster: FakeCluster,
  topic: string,
  s: Pick<Settings, 'n' | 'partitions'>,
): void {
  const written = Array.from({ length: s.partitions }, (_, p) => cluster.records(topic, p)).flat();
  const values = written.map((r) => r.value!.toString());
  expect(values.sort()).toEqual(Array.from({ length: s.n }, (_, i) => `v${i}`).sort());
  const byKey = new Map<string, number[]>();
  for (const r of written) {
    const ids = byKey.get(r.key!.toString()) ?? [];
    ids.push(Number(r.value!.toString().slice(1)));
    byKey.set(r.key!.toString(), ids);
  }
  for (const ids of byKey.values()) expect(ids).toEqual([...ids].sort((a, b) => a - b));
}

const record = (topic: string, i: number) => ({ topic, key: `k${i % 17}`, value: `v${i}` });

describe('many sends before the first acknowledgement', () => {
  it('acknowledges every send in virtual time (memory transport, fake cluster, timer jitter)', () => {
    fc.assert(
      fc.property(settings, fc.array(fc.boolean(), { minLength: 1, maxLength: 16 }), (s, lag) => {
        const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
        let cluster!: FakeCluster;
        let acked = 0;
        const failed: string[] = [];
        scheduler.run(() => {
          const clock = jitteryClock(scheduler, (i) => lag[i % lag.length]);
          cluster = createFakeCluster({ topics: { orders: s.partitions }, clock: scheduler });
          const producer = createProducer({
            brokers: cluster.bootstrap,
            clock,
            transport: createMemoryTransport({ handler: cluster.handler, clock }),
            ...producerOptions(s),
          });
          for (let i = 0; i < s.n; i++) {
            const at = Math.floor(i / s.burst) * s.gapMs;
            scheduler.schedule(() => {
              producer.send(record('orders', i)).subscribe({
                next: () => acked++,
                error: (e: Error) => failed.push(`${e.name}: ${e.message}`),
              });
            }, at);
          }
        });
        expect(failed).toEqual([]);
        expect(acked).toBe(s.n);
        expectWrittenInOrder(cluster, 'orders', s);
      }),
      { numRuns: Number(process.env.MANY_SENDS_RUNS ?? 40) },
    );
  });

  describe('over TCP', () => {
    let fake: FakeCluster;
    let brokers: string[];
    const producers: Producer[] = [];
    beforeAll(async () => {
      fake = createFakeCluster({ topics: { orders: 6, piped: 6 } });
      ({ brokers } = await fake.listen());
    });
    afterAll(async () => {
      await Promise.all(producers.map((p) => p.close()));
      await fake.close();
    });

    it('acknowledges 300 sends made at once, each subscribed (the case that hung after 221)', async () => {
      const producer = createProducer({ brokers, deliveryTimeoutMs: 10000 });
      producers.push(producer);
      // Subscribed one by one (lastValueFrom), as `.subscribe()` in a loop would.
      const results = Array.from({ length: 300 }, (_, i) =>
        lastValueFrom(producer.send(record('orders', i))),
      );
      const metadata = await Promise.all(results);
      expect(metadata.flat()).toHaveLength(300);
      expectWrittenInOrder(fake, 'orders', { n: 300, partitions: 6 });
    });

    it('acknowledges every value through the produce operator, in input order', async () => {
      const producer = createProducer({ brokers, deliveryTimeoutMs: 10000 });
      producers.push(producer);
      const out: RecordMetadata[] = await lastValueFrom(
        range(0, 2000).pipe(
          produce(producer, (i) => record('piped', i)),
          toArray(),
        ),
      );
      expect(out).toHaveLength(2000);
      const values = out.map((m) => fake.records('piped', m.partition)[Number(m.offset)].value!.toString());
      expect(values).toEqual(Array.from({ length: 2000 }, (_, i) => `v${i}`));
    });

    it('acknowledges every send for any sizes, linger and in-flight limits (fake cluster over TCP)', async () => {
      let run = 0;
      await fc.assert(
        fc.asyncProperty(settings, async (s) => {
          const topic = `t${run++}`;
          fake.createTopic(topic, s.partitions);
          const producer = createProducer({ brokers, deliveryTimeoutMs: 10000, ...producerOptions(s) });
          producers.push(producer);
          const results = Array.from({ length: s.n }, (_, i) =>
            lastValueFrom(producer.send(record(topic, i))),
          );
          expect((await Promise.all(results)).flat()).toHaveLength(s.n);
          expectWrittenInOrder(fake, topic, s);
          await producer.close();
        }),
        { numRuns: 8 },
      );
    });
  });

  describe("against librdkafka's mock cluster", () => {
    let mock: MockCluster;
    beforeAll(async () => {
      mock = await startMockCluster({ brokers: 3, topics: [{ name: 'orders', partitions: 6 }] });
    });
    afterAll(async () => {
      await mock?.stop();
    });

    it('acknowledges 1000 sends made at once', async () => {
      const producer = createProducer({ brokers: [mock.bootstrap.split(',')[0]], deliveryTimeoutMs: 10000 });
      try {
        const results = Array.from({ length: 1000 }, (_, i) =>
          lastValueFrom(producer.send(record('orders', i))),
        );
        const metadata = (await Promise.all(results)).flat();
        expect(metadata).toHaveLength(1000);
        expect(new Set(metadata.map((m) => `${m.partition}@${m.offset}`)).size).toBe(1000);
      } finally {
        await producer.close();
      }
    });

    it('acknowledges every send for any sizes, linger and in-flight limits', async () => {
      let run = 0;
      await fc.assert(
        fc.asyncProperty(settings, async (s) => {
          const topic = `m${run++}`;
          await mock.createTopic(topic, s.partitions);
          const producer = createProducer({
            brokers: [mock.bootstrap.split(',')[0]],
            deliveryTimeoutMs: 10000,
            ...producerOptions(s),
          });
          try {
            const results = Array.from({ length: s.n }, (_, i) =>
              lastValueFrom(producer.send(record(topic, i))),
            );
            const metadata = (await Promise.all(results)).flat();
            expect(metadata).toHaveLength(s.n);
            // Each record at its own offset.
            expect(new Set(metadata.map((m) => `${m.partition}@${m.offset}`)).size).toBe(s.n);
          } finally {
            await producer.close();
          }
        }),
        { numRuns: 6 },
      );
    });
  });
});
