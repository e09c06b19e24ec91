import { BUILDS } from '../broker/builds';
import { CODECS, produce } from '../broker/kcat';
import { startMockCluster, type MockCluster } from '../broker/mock-cluster';
import { readAndClose } from '../support/read-and-close';

const PER_BATCH = 20;

describe.each(BUILDS)('consumer against the %s librdkafka mock cluster over TCP', (build) => {
  let cluster: MockCluster;
  const topic = 'codecs';

  beforeAll(async () => {
    cluster = await startMockCluster({
      build,
      brokers: 3,
      topics: [{ name: topic, partitions: CODECS.length }],
    });
    if (build === 'new') await cluster.setGroupInitialRebalanceDelay(0);
    // startMockCluster caps the versions the mock advertises but mishandles (mock-version-caps.ts).
    // Every partition gets two batches written by kcat, each with another codec.
    for (const [i, codec] of CODECS.entries()) {
      for (const round of [0, 1]) {
        const partition = (i + round) % CODECS.length;
        const records = Array.from({ length: PER_BATCH }, (_, n) => ({
          key: `k-${partition}-${round}-${n}`,
          value: `${codec}:${partition}:${round}:${n}`,
        }));
        const run = await produce({ bootstrap: cluster.bootstrap, build, topic, records, codec, partition });
        expect(run.code).toBe(0);
      }
    }
  });
  afterAll(() => cluster?.stop());

  it('reads every record kcat produced with each codec, in order per partition, nothing lost or repeated', async () => {
    const total = CODECS.length * 2 * PER_BATCH;
    const { records, commits } = await readAndClose(
      { brokers: cluster.bootstrap.split(','), groupId: `g-${build}`, topics: [topic] },
      total,
    );

    expect(records).toHaveLength(total);
    for (let partition = 0; partition < CODECS.length; partition++) {
      const mine = records.filter((r) => r.partition === partition);
      expect(mine.map((r) => r.offset)).toEqual(Array.from({ length: 2 * PER_BATCH }, (_, n) => BigInt(n)));
      // kcat wrote codec i's round 0 to partition i, then its round 1 to partition i + 1, for i in
      // CODECS order: partition p > 0 holds codec p - 1's round 1, then codec p's round 0; partition 0
      // holds codec 0's round 0, then the last codec's round 1.
      const batch = (codec: string, round: number) =>
        Array.from({ length: PER_BATCH }, (_, n) => `${codec}:${partition}:${round}:${n}`);
      const previous = CODECS[(partition - 1 + CODECS.length) % CODECS.length];
      const expected =
        partition === 0
          ? [...batch(CODECS[0], 0), ...batch(previous, 1)]
          : [...batch(previous, 1), ...batch(CODECS[partition], 0)];
      expect(mine.map((r) => r.value?.toString())).toEqual(expected);
      expect(mine.every((r) => r.key?.toString().startsWith(`k-${partition}-`))).toBe(true);
    }
    // Closing committed everything read: the end offset of every partition.
    const last = commits.filter((c) => c.trigger === 'close').pop();
    expect(last?.error).toBeUndefined();
    expect(last?.offsets.map((o) => o.offset)).toEqual(CODECS.map(() => BigInt(2 * PER_BATCH)));
  });
});
