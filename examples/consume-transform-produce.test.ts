import { firstValueFrom } from 'rxjs';
import { createCluster, createTcpTransport } from '../src';
import { offsetFetchBody, offsetFetchResult } from '../src/consumer/group/requests';
import { OffsetFetch } from '../src/protocol/specs/offset-fetch';
import { createFakeCluster } from '../src/testing';
import { BUILDS } from '../test/broker/builds';
import { consume, keyedRecords, produce, type ConsumedRecord } from '../test/broker/kcat';
import { startMockCluster, type MockCluster } from '../test/broker/mock-cluster';
import { atLeastOnce, exactlyOnce } from './consume-transform-produce';

const COUNT = 40;
const PARTITIONS = 3;
const TxnOffsetCommitKey = 28;
const EndTxnKey = 26;

/** The group's committed offsets (OffsetFetch), as `partition -> offset`. */
async function committed(
  bootstrap: string[],
  groupId: string,
  topic: string,
): Promise<Record<number, bigint>> {
  const cluster = createCluster({ brokers: bootstrap, transport: createTcpTransport({}) });
  try {
    const coordinator = await firstValueFrom(cluster.coordinator(groupId));
    const tps = Array.from({ length: PARTITIONS }, (_, partition) => ({ topic, partition }));
    const response = await firstValueFrom(
      cluster.request(coordinator, OffsetFetch, offsetFetchBody(groupId, tps)),
    );
    return Object.fromEntries(offsetFetchResult(response).partitions.map((p) => [p.partition, p.offset]));
  } finally {
    await cluster.close();
  }
}

/** Where each output record came from (its `source` header), sorted. */
const sources = (records: readonly ConsumedRecord[]) =>
  records.map((r) => r.headers.find(([name]) => name === 'source')?.[1]).sort();
/** `A/partition@offset` of every input record, sorted. */
const inputs = (records: readonly ConsumedRecord[]) =>
  records.map((r) => `${r.topic}/${r.partition}@${r.offset}`).sort();

// Both pipelines as a user runs them: kafka-rx over TCP against librdkafka's mock cluster, kcat
// writing topic A and reading topic B (isolation.level=read_committed).
describe.each(BUILDS)('consume-transform-produce against the %s mock cluster', (build) => {
  let cluster: MockCluster;
  let input: ConsumedRecord[];
  const read = (topic: string) =>
    consume({
      bootstrap: cluster.bootstrap,
      build,
      topic,
      extraArgs: ['-X', 'isolation.level=read_committed'],
    });

  beforeAll(async () => {
    cluster = await startMockCluster({
      build,
      brokers: 3,
      topics: ['words', 'upper-alo', 'upper-eos'].map((name) => ({ name, partitions: PARTITIONS })),
    });
    if (build === 'new') await cluster.setGroupInitialRebalanceDelay(0);
    await produce({
      bootstrap: cluster.bootstrap,
      build,
      topic: 'words',
      records: keyedRecords(COUNT, 'word-'),
    });
    input = await read('words');
    expect(input).toHaveLength(COUNT);
  });
  afterAll(() => cluster?.stop());

  it('at least once: every input is in B, transformed; the committed offsets reach the end of A', async () => {
    const brokers = cluster.bootstrap.split(',');
    const lines = await atLeastOnce({
      brokers,
      input: 'words',
      output: 'upper-alo',
      groupId: 'alo',
      count: COUNT,
    });

    expect(lines).toHaveLength(COUNT);
    const output = await read('upper-alo');
    // At least once: no input missing (a clean run writes none twice either).
    expect([...new Set(sources(output))]).toEqual(inputs(input));
    for (const r of output) {
      const from = input.find((i) => `${i.topic}/${i.partition}@${i.offset}` === r.headers[0][1])!;
      expect([r.key, r.value]).toEqual([from.key, from.value!.toUpperCase()]);
    }
    const ends = Object.fromEntries(
      [0, 1, 2].map((p) => [p, BigInt(input.filter((r) => r.partition === p).length)]),
    );
    expect(await committed(brokers, 'alo', 'words')).toEqual(ends);
  });

  it('exactly once: every input transformed exactly once in B, each batch with its offsets in one transaction', async () => {
    const brokers = cluster.bootstrap.split(',');
    if (build === 'new') await cluster.startTracking();
    const batches = await exactlyOnce({
      brokers,
      input: 'words',
      output: 'upper-eos',
      groupId: 'eos',
      count: COUNT,
      batchSize: 15,
    });

    expect(batches.reduce((a, b) => a + b, 0)).toBe(COUNT);
    expect(batches.every((n) => n > 0 && n <= 15)).toBe(true);
    const output = await read('upper-eos');
    expect(sources(output)).toEqual(inputs(input));
    expect(output.map((r) => r.value).sort()).toEqual(input.map((r) => r.value!.toUpperCase()).sort());
    if (build === 'new') {
      // One TxnOffsetCommit and one EndTxn per transaction.
      const keys = (await cluster.requests()).map((r) => r.apiKey);
      await cluster.stopTracking();
      expect(keys.filter((k) => k === TxnOffsetCommitKey)).toHaveLength(batches.length);
      expect(keys.filter((k) => k === EndTxnKey)).toHaveLength(batches.length);
    }
  });
});

describe('consume-transform-produce at least once against the fake cluster (kafka-rx/testing)', () => {
  it('writes every input to B and commits up to the end of A', async () => {
    const fake = createFakeCluster({ topics: { words: PARTITIONS, 'words-upper': PARTITIONS } });
    try {
      for (let i = 0; i < 12; i++)
        fake.append('words', i % PARTITIONS, [{ key: `k${i}`, value: `word-${i}` }]);
      const { brokers } = await fake.listen();

      const lines = await atLeastOnce({ brokers, count: 12, groupId: 'alo-fake' });

      expect(lines).toHaveLength(12);
      const output = [0, 1, 2].flatMap((p) => fake.records('words-upper', p));
      expect(output.map((r) => r.value?.toString()).sort()).toEqual(
        Array.from({ length: 12 }, (_, i) => `WORD-${i}`).sort(),
      );
      expect(fake.committedOffsets('alo-fake').map((c) => [c.partition, c.offset])).toEqual([
        [0, 4n],
        [1, 4n],
        [2, 4n],
      ]);
    } finally {
      await fake.close();
    }
  });
});
