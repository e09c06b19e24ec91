import { lastValueFrom } from 'rxjs';
import { createProducer, type Producer, type ProducerRecord } from '../../src/producer';
import { BUILDS } from '../broker/builds';
import { CODECS, consume, produce as kcatProduce } from '../broker/kcat';
import { startMockCluster, type MockCluster } from '../broker/mock-cluster';

// Against librdkafka's mock cluster over TCP; kcat (librdkafka) reads back what we wrote.
describe.each(BUILDS)('producer against the %s mock cluster', (build) => {
  let cluster: MockCluster;
  const producers: Producer[] = [];
  const open = (config: Omit<Parameters<typeof createProducer>[0], 'brokers'> = {}) => {
    const producer = createProducer({ brokers: [cluster.bootstrap.split(',')[0]], ...config });
    producers.push(producer);
    return producer;
  };

  beforeAll(async () => {
    cluster = await startMockCluster({
      build,
      brokers: 3,
      topics: [
        ...CODECS.map((c) => ({ name: `p-${c}`, partitions: 1 })),
        { name: 'keyed-ours', partitions: 7 },
        { name: 'keyed-kcat', partitions: 7 },
        { name: 'acks0', partitions: 1 },
        { name: 'faults', partitions: 1 },
      ],
    });
  });
  afterAll(async () => {
    await Promise.all(producers.map((p) => p.close()));
    await cluster?.stop();
  });

  it.each(CODECS)(
    'writes keys, values, null values and headers that kcat reads back exactly (%s)',
    async (codec) => {
      const producer = open({ compression: codec });
      const records: ProducerRecord[] = Array.from({ length: 30 }, (_, i) => ({
        topic: `p-${codec}`,
        key: i % 5 === 0 ? null : `key-${i}`,
        value: i % 7 === 3 ? null : `value-${i}-${'x'.repeat(i * 10)}`,
        headers:
          i % 2 === 0
            ? [
                ['trace', `t-${i}`],
                ['empty', ''],
              ]
            : { one: Buffer.from(`h${i}`) },
      }));
      const metadata = await lastValueFrom(producer.send(records));
      expect(metadata.map((m) => m.offset)).toEqual(records.map((_, i) => BigInt(i)));

      const read = await consume({ bootstrap: cluster.bootstrap, build, topic: `p-${codec}` });
      expect(read.map((r) => ({ key: r.key, value: r.value, headers: r.headers, offset: r.offset }))).toEqual(
        records.map((r, i) => ({
          key: r.key ?? null,
          value: r.value ?? null,
          headers:
            i % 2 === 0
              ? [
                  ['trace', `t-${i}`],
                  ['empty', ''],
                ]
              : [['one', `h${i}`]],
          offset: i,
        })),
      );
    },
  );

  it("puts each keyed record on the partition kcat's murmur2 partitioner chooses", async () => {
    const keys = Array.from({ length: 40 }, (_, i) => `customer-${i * 7919}`);
    const producer = open();
    await lastValueFrom(producer.send(keys.map((key) => ({ topic: 'keyed-ours', key, value: key }))));
    await kcatProduce({
      bootstrap: cluster.bootstrap,
      build,
      topic: 'keyed-kcat',
      records: keys.map((key) => ({ key, value: key })),
      extraArgs: ['-X', 'partitioner=murmur2'],
    });
    const where = async (topic: string) =>
      new Map(
        (await consume({ bootstrap: cluster.bootstrap, build, topic })).map((r) => [r.key, r.partition]),
      );
    const [ours, theirs] = await Promise.all([where('keyed-ours'), where('keyed-kcat')]);
    expect(ours.size).toBe(keys.length);
    expect(new Set(ours.values()).size).toBeGreaterThan(3);
    expect(ours).toEqual(theirs);
  });

  it('produces with acks=0', async () => {
    const producer = open({ acks: 0 });
    const metadata = await lastValueFrom(
      producer.send([
        { topic: 'acks0', value: 'a' },
        { topic: 'acks0', value: 'b' },
      ]),
    );
    expect(metadata.map((m) => m.offset)).toEqual([-1n, -1n]);
    const read = await consume({ bootstrap: cluster.bootstrap, build, topic: 'acks0', count: 2 });
    expect(read.map((r) => r.value)).toEqual(['a', 'b']);
  });

  it('retries broker errors and dropped connections and writes every record exactly once, in order', async () => {
    // Neither mock build holds a pipelined batch back behind one that failed: librdkafka 2.0.2 does
    // not check idempotent sequence numbers, and 2.12's mock once wrote the batch of v3 ahead of the
    // failed v0-v2 (a real broker answers OUT_OF_ORDER_SEQUENCE_NUMBER). One request in flight keeps
    // the order on the mocks; pipelined retries against sequence checks are tested on Apache Kafka.
    const producer = open({ lingerMs: 0, retryBackoffMs: 20, batchBytes: 200, maxInFlightPerBroker: 1 });
    // NOT_LEADER_OR_FOLLOWER, NOT_ENOUGH_REPLICAS, then a connection closed instead of an answer.
    await cluster.pushErrors(0, [6, 19, -195]);
    const values = Array.from({ length: 20 }, (_, i) => `v${i}-${'x'.repeat(60)}`);
    const metadata = await lastValueFrom(producer.send(values.map((value) => ({ topic: 'faults', value }))));
    expect(metadata.map((m) => m.partition)).toEqual(values.map(() => 0));
    const read = await consume({ bootstrap: cluster.bootstrap, build, topic: 'faults' });
    expect(read.map((r) => r.value)).toEqual(values);
  });
});
