import { lastValueFrom, take, toArray } from 'rxjs';
import { createAdmin } from '../../src/admin';
import { createConsumer } from '../../src/consumer';
import { createProducer } from '../../src/producer';
import { createFakeCluster } from '../../src/testing';
import { createMemoryTransport } from '../../src/transport';
import { virtualClock } from '../support/virtual-time';

type Clock = ReturnType<typeof virtualClock>;

/** Moves virtual time on, 10 ms at a time, until the promise settles (at most `limitMs`). */
async function settle<T>(clock: Clock, promise: Promise<T>, limitMs = 60000): Promise<T> {
  let done = false;
  const watched = promise.finally(() => (done = true));
  const start = clock.now();
  while (!done && clock.now() - start < limitMs) {
    clock.advanceTo(clock.now() + 10);
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (!done) throw new Error(`not settled within ${limitMs} virtual ms`);
  return watched;
}

// The admin walk-through of the README, against the fake cluster in virtual time: create a
// topic, produce, consume in a group, read the group's lag, reset its offsets, delete the group
// and the topic, with configs and partitions on the way.
describe('admin calls answered by the fake cluster', () => {
  it('runs the walk-through: topics, groups, lag, reset, configs, delete', async () => {
    const clock = virtualClock();
    const cluster = createFakeCluster({ brokers: 3, clock, autoCreateTopics: false });
    const transport = () => createMemoryTransport({ handler: cluster.handler, clock });
    const admin = createAdmin({ brokers: cluster.bootstrap, clock, transport: transport() });
    const run = <T>(p: Promise<T>) => settle(clock, p);

    expect(
      await run(
        admin.createTopics([{ name: 'orders', partitions: 2, configs: { 'cleanup.policy': 'compact' } }]),
      ),
    ).toEqual([{ name: 'orders', topicId: expect.any(String), partitions: 2, replicationFactor: 3 }]);
    const [again, bad] = await run(
      admin.createTopics([
        { name: 'orders' },
        { name: 'x', partitions: 1, configs: { 'no.such.config': '1' } },
      ]),
    );
    expect(again.error?.name).toBe('TOPIC_ALREADY_EXISTS');
    expect(bad.error?.name).toBe('INVALID_CONFIG');
    expect(await run(admin.listTopics())).toEqual(['orders']);
    const [described] = await run(admin.describeTopics(['orders']));
    expect(described.partitions?.map((p) => [p.partition, p.replicas.length])).toEqual([
      [0, 3],
      [1, 3],
    ]);
    expect(described.partitions?.[0]).toEqual({
      partition: 0,
      leader: expect.any(Number),
      leaderEpoch: expect.any(Number),
      replicas: expect.any(Array),
      isr: expect.any(Array),
      offlineReplicas: [],
    });

    const producer = createProducer({
      brokers: cluster.bootstrap,
      clock,
      transport: transport(),
      lingerMs: 0,
    });
    const records = (n: number, from: number) =>
      Array.from({ length: n }, (_, i) => ({
        topic: 'orders',
        partition: (from + i) % 2,
        value: `o${from + i}`,
      }));
    await run(lastValueFrom(producer.send(records(6, 0))));

    const consumer = createConsumer({
      brokers: cluster.bootstrap,
      clock,
      transport: transport(),
      groupId: 'billing',
      topics: ['orders'],
      fromBeginning: true,
      autoCommit: { intervalMs: 1000 },
    });
    const consumed = lastValueFrom(consumer.messages$.pipe(take(6), toArray()));
    expect((await run(consumed)).map((r) => r.value?.toString()).sort()).toEqual([
      'o0',
      'o1',
      'o2',
      'o3',
      'o4',
      'o5',
    ]);
    // take(6) unsubscribed: the consumer commits and leaves.
    await run(consumer.close());

    await run(lastValueFrom(producer.send(records(4, 6))));
    const lag = await run(admin.lag('billing'));
    expect(lag.partitions.map((p) => [p.partition, p.committed, p.end, p.lag])).toEqual([
      [0, 3n, 5n, 2n],
      [1, 3n, 5n, 2n],
    ]);
    expect(lag.total).toBe(4n);

    const [group] = await run(admin.describeGroups(['billing']));
    // An emptied group keeps its protocol type, as Kafka's ClassicGroup does (only the protocol name goes).
    expect(group).toMatchObject({
      groupId: 'billing',
      state: 'Empty',
      protocolType: 'consumer',
      protocol: '',
      members: [],
    });
    expect(await run(admin.listGroups())).toEqual([
      { groupId: 'billing', protocolType: 'consumer', state: 'Empty', type: 'classic' },
    ]);

    const reset = await run(admin.resetOffsets('billing', ['orders'], 'earliest'));
    expect(reset.map((r) => [r.partition, r.offset, r.error])).toEqual([
      [0, 0n, undefined],
      [1, 0n, undefined],
    ]);
    expect((await run(admin.lag('billing'))).total).toBe(10n);
    expect(cluster.committedOffsets('billing').map((o) => o.offset)).toEqual([0n, 0n]);

    const [configs] = await run(admin.describeConfigs([{ type: 'topic', name: 'orders' }]));
    expect(configs.configs?.find((c) => c.name === 'cleanup.policy')).toMatchObject({
      value: 'compact',
      source: 'DYNAMIC_TOPIC_CONFIG',
    });
    expect(configs.configs?.find((c) => c.name === 'retention.ms')).toMatchObject({
      value: '604800000',
      source: 'DEFAULT_CONFIG',
    });
    const [altered] = await run(
      admin.incrementalAlterConfigs([
        { type: 'topic', name: 'orders', changes: [{ name: 'retention.ms', op: 'set', value: '3600000' }] },
      ]),
    );
    expect(altered.error).toBeUndefined();
    const [after] = await run(
      admin.describeConfigs([{ type: 'topic', name: 'orders', keys: ['retention.ms'] }]),
    );
    expect(after.configs).toMatchObject([
      { name: 'retention.ms', value: '3600000', source: 'DYNAMIC_TOPIC_CONFIG' },
    ]);

    const [grown] = await run(admin.createPartitions([{ name: 'orders', count: 3 }]));
    expect(grown.error).toBeUndefined();
    const [shrunk] = await run(admin.createPartitions([{ name: 'orders', count: 1 }]));
    expect(shrunk.error?.name).toBe('INVALID_PARTITIONS');
    expect((await run(admin.describeTopics(['orders'])))[0].partitions).toHaveLength(3);

    expect(await run(admin.deleteGroups(['billing', 'nobody']))).toEqual([
      { groupId: 'billing' },
      { groupId: 'nobody', error: expect.objectContaining({ name: 'GROUP_ID_NOT_FOUND' }) },
    ]);
    expect(await run(admin.listGroups())).toEqual([]);
    expect(await run(admin.deleteTopics(['orders']))).toEqual([{ name: 'orders' }]);
    expect(await run(admin.listTopics())).toEqual([]);
    const [gone] = await run(admin.deleteTopics(['orders']));
    expect(gone.error?.name).toBe('UNKNOWN_TOPIC_OR_PARTITION');

    await run(producer.close());
    await run(admin.close());
    await cluster.close();
  });
});
