import { main as gettingStarted } from '../../examples/getting-started';
import { main as manualAcks } from '../../examples/manual-acks';
import { main as perPartition } from '../../examples/per-partition';
import { main as quickStart } from '../../examples/quick-start';
import { main as withoutABroker } from '../../examples/without-a-broker';
import type { ConsumerRecord } from '../../src';
import { createFakeCluster, type FakeCluster } from '../../src/testing';

// The examples run as a user would run them: kafka-rx over TCP, here against the fake cluster.
describe('examples', () => {
  let cluster: FakeCluster;
  let brokers: string[];

  beforeEach(async () => {
    cluster = createFakeCluster({ topics: { orders: 3, payments: 3, 'sensor-readings': 3, greetings: 3 } });
    brokers = (await cluster.listen()).brokers;
  });
  afterEach(() => cluster.close());

  const committed = (group: string) => cluster.committedOffsets(group).map((c) => [c.partition, c.offset]);
  const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

  it('getting-started sends three greetings, handles each once and commits them on stop', async () => {
    const lines: string[] = [];
    let third: () => void = () => undefined;
    const handledThree = new Promise<void>((resolve) => (third = resolve));
    const sigintListeners = process.listenerCount('SIGINT');

    const stop = await gettingStarted({
      brokers,
      log: (line) => lines.push(line) === 3 && third(),
    });
    expect(process.listenerCount('SIGINT')).toBe(sigintListeners + 1);
    await handledThree;
    await new Promise((resolve) => setImmediate(resolve)); // the third record is done once its handler's promise has settled
    process.removeListener('SIGINT', stop);
    await stop();

    expect(lines.sort()).toEqual(['alice: hello', 'bob: hi', 'carol: hey']);
    // The producer wrote them (keyed: murmur2 places alice and bob on 0, carol on 2).
    expect([0, 1, 2].map((p) => cluster.records('greetings', p).length)).toEqual([2, 0, 1]);
    // Closing committed every handled record and left the group.
    expect(committed('greeters')).toEqual([
      [0, 2n],
      [1, 0n],
      [2, 1n],
    ]);
    expect(cluster.groups.describe('greeters')?.members ?? []).toEqual([]);
  });

  it('without-a-broker runs getting-started on a fake cluster of three brokers on loopback ports', async () => {
    const lines: string[] = [];

    const { brokers: fake, committed: offsets } = await withoutABroker({ log: (line) => lines.push(line) });

    expect(fake).toHaveLength(3);
    expect(fake.every((broker) => /^127\.0\.0\.1:\d+$/.test(broker))).toBe(true);
    expect(lines.sort()).toEqual(['alice: hello', 'bob: hi', 'carol: hey']);
    expect(offsets).toEqual([
      [0, 2n],
      [1, 0n],
      [2, 1n],
    ]);
  });

  it('quick-start collects the large orders and commits what it read', async () => {
    cluster.append('orders', 0, [{ value: '{"id":"a","total":100}' }, { value: '{"id":"b","total":99}' }]);
    cluster.append('orders', 1, [{ value: '{"id":"c","total":5}' }, { value: '{"id":"d","total":700}' }]);
    cluster.append('orders', 2, [{ value: '{"id":"e","total":120}' }]);

    const large = await quickStart({ brokers, count: 3 });

    expect(large.sort()).toEqual(['a: 100', 'd: 700', 'e: 120']);
    // Every order up to the last large one was consumed, so commits cover them.
    expect(Object.fromEntries(committed('quick-start'))).toMatchObject({ 1: 2n, 2: 1n });
  });

  it('manual-acks commits only up to the first record whose work has not finished', async () => {
    cluster.append('payments', 0, [{ value: 'a0' }, { value: 'stuck' }, { value: 'a2' }]);
    cluster.append('payments', 1, [{ value: 'b0' }, { value: 'b1' }]);
    cluster.append('payments', 2, [{ value: 'c0' }]);
    const never = new Promise<void>(() => undefined);

    const handled = await manualAcks({
      brokers,
      count: 5,
      // Work that finishes out of order, and one record whose work never does.
      handle: (record: ConsumerRecord) =>
        record.value?.toString() === 'stuck' ? never : delay(record.partition * 20),
    });

    expect(handled.sort()).toEqual(['0@0: a0', '0@2: a2', '1@0: b0', '1@1: b1', '2@0: c0']);
    // a2 was acknowledged but "stuck" before it was not: partition 0 stays at offset 1.
    expect(committed('manual-acks')).toEqual([
      [0, 1n],
      [1, 2n],
      [2, 1n],
    ]);
  });

  it('per-partition handles each partition in order, never two records of one partition at once', async () => {
    for (let p = 0; p < 3; p++)
      cluster.append(
        'sensor-readings',
        p,
        [1, 2, 3, 4].map((n) => ({ value: `p${p}-${n}` })),
      );
    const inFlight = new Map<number, number>();
    let overlaps = 0;
    let parallel = 0;

    const byPartition = await perPartition({
      brokers,
      count: 12,
      handle: async (record) => {
        const busy = inFlight.get(record.partition) ?? 0;
        if (busy > 0) overlaps++;
        if ([...inFlight.values()].some((n) => n > 0)) parallel++;
        inFlight.set(record.partition, busy + 1);
        await delay(5);
        inFlight.set(record.partition, (inFlight.get(record.partition) ?? 1) - 1);
      },
    });

    expect(overlaps).toBe(0);
    // Partitions did run side by side.
    expect(parallel).toBeGreaterThan(0);
    expect([...byPartition.entries()].sort(([a], [b]) => a - b)).toEqual(
      [0, 1, 2].map((p) => [p, [1, 2, 3, 4].map((n) => `p${p}-${n}`)]),
    );
  });

  it('per-partition commits only finished work: a record whose work never ends holds its partition back', async () => {
    for (let p = 0; p < 3; p++)
      cluster.append(
        'sensor-readings',
        p,
        [1, 2, 3, 4].map((n) => ({ value: `p${p}-${n}` })),
      );
    const never = new Promise<void>(() => undefined);

    const byPartition = await perPartition({
      brokers,
      count: 9,
      handle: (record) => (record.value?.toString() === 'p1-2' ? never : delay(2)),
    });

    expect(byPartition.get(1)).toEqual(['p1-1']);
    // Partition 1 stays at p1-2 (offset 1): the records after it were fetched, never handled.
    expect(committed('per-partition')).toEqual([
      [0, 4n],
      [1, 1n],
      [2, 4n],
    ]);
  });
});
