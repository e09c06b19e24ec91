import { TestScheduler } from 'rxjs/testing';
import type { PartitionMetadata } from '../../src/cluster/cluster';
import { createDefaultPartitioner, createProducerOn, partitionForKey } from '../../src/producer';
import { ScriptedProducerCluster } from '../support/scripted-producer-cluster';

const partitions = (n: number, leaderless: number[] = []): PartitionMetadata[] =>
  Array.from({ length: n }, (_, partition) => ({
    partition,
    leader: leaderless.includes(partition) ? -1 : 1,
    leaderEpoch: 0,
    replicas: [1],
    isr: [1],
    errorCode: 0,
  }));

/** A random source that returns the given numbers in turn. */
const sequence = (...values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length];
};

describe('default partitioner', () => {
  it('puts a keyed record where the Java client does: toPositive(murmur2(key)) % numPartitions', () => {
    // Java's murmur2("foobar") is -790332482 and murmur2("21") is -973932308 (UtilsTest).
    const p = createDefaultPartitioner();
    for (const n of [1, 3, 7, 12, 100]) {
      expect(p.partition('t', Buffer.from('foobar'), partitions(n))).toBe((-790332482 & 0x7fffffff) % n);
      expect(p.partition('t', Buffer.from('21'), partitions(n))).toBe((-973932308 & 0x7fffffff) % n);
    }
    expect(partitionForKey(Buffer.from('foobar'), 7)).toBe(1357151166 % 7);
  });

  it('keeps records without a key on one partition until its batch is closed, then moves on', () => {
    const p = createDefaultPartitioner(sequence(0.5, 0.1));
    const all = partitions(4);
    expect(p.partition('t', null, all)).toBe(2);
    expect(p.partition('t', null, all)).toBe(2);
    p.onBatchClosed!('t', 3); // another partition's batch: no effect
    expect(p.partition('t', null, all)).toBe(2);
    p.onBatchClosed!('t', 2);
    // Chooses among the others (0, 1, 3): 0.1 * 3 -> index 0.
    expect(p.partition('t', null, all)).toBe(0);
  });

  it('prefers partitions that have a leader', () => {
    const p = createDefaultPartitioner(sequence(0));
    expect(p.partition('t', null, partitions(3, [0, 1]))).toBe(2);
  });
});

describe('sticky partitioning in the producer', () => {
  it('fills one partition until its batch is full, then another', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ flush }) => {
      const cluster = new ScriptedProducerCluster({ clock: scheduler, topics: { t: 3 } });
      const producer = createProducerOn(
        { brokers: [], batchBytes: 250, partitioner: createDefaultPartitioner(sequence(0.9, 0.0, 0.9)) },
        { cluster, ownsCluster: false },
      );
      // About 77 bytes each: two fill a 250-byte batch.
      producer.send([0, 1, 2, 3].map((i) => ({ topic: 't', value: `${i}`.repeat(40) }))).subscribe();
      flush();
      const where = [0, 1, 2].map((p) => cluster.log('t', p).map((r) => r.value!.toString()[0]));
      // Sticks to 2 (0.9 of 3), then moves to 0 (0.0 of the others 0 and 1) when that batch is full.
      expect(where).toEqual([['2', '3'], [], ['0', '1']]);
    });
  });

  it('sends a keyed record to the partition of its key and an explicit partition where asked', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ flush }) => {
      const cluster = new ScriptedProducerCluster({ clock: scheduler, topics: { t: 5 } });
      const producer = createProducerOn({ brokers: [] }, { cluster, ownsCluster: false });
      const seen: number[] = [];
      producer
        .send([
          { topic: 't', key: 'foobar', value: 'x' },
          { topic: 't', key: Buffer.from('21'), value: 'y' },
          { topic: 't', key: 'foobar', partition: 4, value: 'z' },
        ])
        .subscribe((mds) => seen.push(...mds.map((m) => m.partition)));
      flush();
      expect(seen).toEqual([1357151166 % 5, 1173551340 % 5, 4]);
    });
  });
});
