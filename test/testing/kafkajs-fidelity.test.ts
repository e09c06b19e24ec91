import { CompressionTypes, Kafka, logLevel, type Consumer, type EachMessagePayload } from 'kafkajs';
import { createFakeCluster, type FakeCluster } from '../../src/testing';

// KafkaJS is a second outside client (its own encoders, its own group protocol code): it
// produces to the fake, consumes from it in a consumer group, and commits offsets.
describe('fake cluster over TCP, checked by KafkaJS', () => {
  let cluster: FakeCluster;
  let kafka: Kafka;
  const consumers: Consumer[] = [];

  beforeEach(async () => {
    cluster = createFakeCluster({ brokers: 3, topics: { orders: 3 } });
    const { brokers } = await cluster.listen();
    kafka = new Kafka({
      brokers,
      clientId: 'kafkajs-check',
      logLevel: logLevel.NOTHING,
      retry: { retries: 3 },
    });
  });
  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((c) => c.disconnect()));
    await cluster.close();
  });

  function waitUntil(predicate: () => boolean, what: string, timeoutMs = 20000): Promise<void> {
    return new Promise((resolve, reject) => {
      const started = Date.now();
      const check = () => {
        if (predicate()) resolve();
        else if (Date.now() - started > timeoutMs) reject(new Error(`timed out waiting for ${what}`));
        else setTimeout(check, 20);
      };
      check();
    });
  }

  it('stores what the KafkaJS producer sends (gzip), at the partitions its partitioner picked', async () => {
    const producer = kafka.producer();
    await producer.connect();
    const messages = Array.from({ length: 30 }, (_, i) => ({
      key: `key-${i}`,
      value: `value-${i}`,
      headers: { n: `${i}` },
    }));
    const results = await producer.send({ topic: 'orders', messages, compression: CompressionTypes.GZIP });
    await producer.disconnect();
    const stored = [0, 1, 2].flatMap((p) =>
      cluster.records('orders', p).map((r) => ({
        p,
        key: r.key?.toString(),
        value: r.value?.toString(),
        n: r.headers[0][1]?.toString(),
      })),
    );
    expect(
      stored
        .map(({ key, value, n }) => ({ key, value, headers: { n } }))
        .sort((a, b) => Number(a.headers.n) - Number(b.headers.n)),
    ).toEqual(messages);
    // KafkaJS reports the base offset the fake gave each partition's batch.
    for (const r of results) expect(r.baseOffset).toBe('0');
    expect(new Set(stored.map((s) => s.p)).size).toBeGreaterThan(1);
  });

  it('accepts an idempotent KafkaJS producer (InitProducerId, sequences) without duplicates', async () => {
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    for (let i = 0; i < 3; i++) {
      await producer.send({ topic: 'orders', acks: -1, messages: [{ key: 'same', value: `v${i}` }] });
    }
    await producer.disconnect();
    const all = [0, 1, 2].flatMap((p) => cluster.records('orders', p).map((r) => r.value?.toString()));
    expect(all).toEqual(['v0', 'v1', 'v2']);
  });

  it('serves a KafkaJS consumer group: two members split the partitions, consume everything and commit', async () => {
    cluster.append('orders', 0, [
      { key: 'a', value: '0' },
      { key: 'b', value: '1' },
    ]);
    cluster.append('orders', 1, [{ key: 'c', value: '2' }]);
    cluster.append('orders', 2, [
      { key: 'd', value: '3' },
      { key: 'e', value: '4' },
      { key: 'f', value: '5' },
    ]);
    const seen: Array<{ member: number; partition: number; offset: string; value: string }> = [];
    const start = async (member: number) => {
      const consumer = kafka.consumer({
        groupId: 'billing',
        heartbeatInterval: 300,
        sessionTimeout: 10000,
        maxWaitTimeInMs: 100,
      });
      consumers.push(consumer);
      await consumer.connect();
      await consumer.subscribe({ topics: ['orders'], fromBeginning: true });
      await consumer.run({
        autoCommitInterval: 100,
        eachMessage: async ({ partition, message }: EachMessagePayload) => {
          seen.push({ member, partition, offset: message.offset, value: message.value?.toString() ?? '' });
        },
      });
    };
    await start(1);
    await start(2);
    await waitUntil(() => {
      const group = cluster.groups.describe('billing');
      return group?.state === 'Stable' && group.members.length === 2;
    }, 'a stable group of two');
    await waitUntil(() => new Set(seen.map((s) => s.value)).size === 6, 'six records');
    await waitUntil(
      () =>
        cluster
          .committedOffsets('billing')
          .map((c) => Number(c.offset))
          .join() === '2,1,3',
      'commits at the end of every partition',
    );
    expect([...new Set(seen.map((s) => s.value))].sort()).toEqual(['0', '1', '2', '3', '4', '5']);
    const group = cluster.groups.describe('billing');
    expect(group?.protocolName).toBe('RoundRobinAssigner');
    expect(group?.members.every((m) => m.assignment.length > 0)).toBe(true);
    await Promise.all(consumers.splice(0).map((c) => c.disconnect()));
    expect(cluster.groups.describe('billing')?.state).toBe('Empty');
  });
});
