import { TestScheduler } from 'rxjs/testing';
import { createConsumer, type ConsumerEvent } from '../../src/consumer';
import { clientMetrics, type ClientMetricsSnapshot } from '../../src/metrics';
import { createProducer } from '../../src/producer';
import { ErrorCode } from '../../src/protocol/errors';
import { OffsetCommit, Produce } from '../../src/protocol/specs';
import { createFakeCluster } from '../../src/testing';
import { createMemoryTransport } from '../../src/transport';

// clientMetrics in virtual time against the fake cluster: a producer and a consumer named 'shop',
// another producer named 'other' whose records must not count.
describe('clientMetrics', () => {
  function run() {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    const snapshots: ClientMetricsSnapshot[] = [];
    const fetched: Array<Extract<ConsumerEvent, { type: 'fetch' }>> = [];
    scheduler.run(() => {
      const cluster = createFakeCluster({ topics: { orders: 2 }, clock: scheduler });
      // Every Produce waits 30 ms on the broker: the latency the metrics must show.
      cluster.faults.delay(Produce, 30);
      const transport = (clientId: string) =>
        createMemoryTransport({ handler: cluster.handler, clock: scheduler, clientId });
      const client = (clientId: string) => ({
        brokers: cluster.bootstrap,
        clock: scheduler,
        transport: transport(clientId),
        clientId,
      });
      const consumer = createConsumer({
        ...client('shop'),
        groupId: 'billing',
        topics: ['orders'],
        fromBeginning: true,
        autoCommit: false,
      });
      const metrics = clientMetrics({
        clientId: 'shop',
        consumer,
        intervalMs: 500,
        clock: scheduler,
      }).subscribe((m) => snapshots.push(m));
      consumer.events$.subscribe((e) => {
        if (e.type === 'fetch') fetched.push(e);
      });
      const shop = createProducer(client('shop'));
      const other = createProducer(client('other'));
      shop.send([
        { topic: 'orders', partition: 0, value: 'a' },
        { topic: 'orders', partition: 0, value: 'b' },
        { topic: 'orders', partition: 1, value: 'c' },
      ]);
      other.send([{ topic: 'elsewhere', value: 'x' }]);
      // Partition 0's records stay in its buffer (no subscriber to its stream): they are its lag.
      const subscription = consumer.partitions$.subscribe((p) => {
        if (p.partition === 1) p.records$.subscribe();
      });
      scheduler.schedule(() => {
        cluster.faults.pushError(OffsetCommit, ErrorCode.GROUP_AUTHORIZATION_FAILED);
        void consumer.commit([{ topic: 'orders', partition: 1, offset: 1n }]);
      }, 3000);
      // After the tick at 5000 ms, which was scheduled first.
      scheduler.schedule(() => metrics.unsubscribe(), 5001);
      scheduler.schedule(() => subscription.unsubscribe(), 5002);
      scheduler.schedule(() => void consumer.close(), 5003);
      scheduler.schedule(() => void shop.close(), 5004);
      scheduler.schedule(() => void other.close(), 5005);
    });
    return { snapshots, fetched };
  }

  const { snapshots, fetched } = run();
  const sum = (pick: (m: ClientMetricsSnapshot) => number) => snapshots.reduce((n, m) => n + pick(m), 0);

  it('emits a snapshot at the end of every interval until unsubscribed', () => {
    expect(snapshots.map((m) => m.at)).toEqual([500, 1000, 1500, 2000, 2500, 3000, 3500, 4000, 4500, 5000]);
  });

  it("counts the client's own produced records and bytes, as rates over the interval", () => {
    expect(sum((m) => m.produced.records)).toBe(3);
    const first = snapshots.find((m) => m.produced.records > 0)!;
    expect(first.produced.recordsPerSecond).toBe(first.produced.records * 2);
    expect(first.produced.bytesPerSecond).toBe(first.produced.bytes * 2);
    expect(first.produced.bytes).toBeGreaterThan(2 * 61);
  });

  it('counts records and bytes fetched, as the consumer reports its fetches', () => {
    expect(sum((m) => m.consumed.records)).toBe(3);
    expect(sum((m) => m.consumed.bytes)).toBe(fetched.reduce((n, f) => n + f.bytes, 0));
    // The fake cluster keeps the batches as produced: what was fetched is what was written.
    expect(sum((m) => m.consumed.bytes)).toBe(sum((m) => m.produced.bytes));
  });

  it('gives the latency of each API', () => {
    const produce = snapshots.map((m) => m.requests.Produce).filter((r) => r !== undefined);
    expect(produce.reduce((n, r) => n + r.count, 0)).toBeGreaterThan(0);
    for (const r of produce) expect([r.meanMs, r.maxMs, r.errors]).toEqual([30, 30, 0]);
    const fetch = snapshots.flatMap((m) => (m.requests.Fetch ? [m.requests.Fetch] : []));
    expect(fetch.length).toBeGreaterThan(0);
    // A Fetch with nothing new waits maxWaitMs (500 ms by default) on the fake broker.
    expect(Math.max(...fetch.map((r) => r.maxMs))).toBe(500);
  });

  it('gives the lag per partition, and counts rebalances and failed commits', () => {
    const last = snapshots.at(-1)!;
    expect(last.lag.map((l) => [l.partition, l.lag])).toEqual([
      [0, 2n],
      [1, 0n],
    ]);
    expect(last.rebalances).toBe(1);
    expect(snapshots.filter((m) => m.at < 3000).map((m) => m.commitFailures)).toEqual([0, 0, 0, 0, 0]);
    expect(last.commitFailures).toBe(1);
  });
});
