import { TestScheduler } from 'rxjs/testing';
import { createProducerOn, type ProducerConfig } from '../../src/producer';
import { ErrorCode } from '../../src/protocol/errors';
import { ScriptedProducerCluster } from '../support/scripted-producer-cluster';

function setup(scheduler: TestScheduler, config: Partial<ProducerConfig> = {}) {
  const cluster = new ScriptedProducerCluster({ clock: scheduler, topics: { t: 2 }, rttMs: 1 });
  const producer = createProducerOn(
    { brokers: [], lingerMs: 0, idempotent: false, ...config },
    { cluster, ownsCluster: false },
  );
  return { cluster, producer };
}

const metadataOf = (ms: { partition: number; offset: bigint }[]) => ms.map((m) => [m.partition, m.offset]);

describe('a send over several batches', () => {
  it('emits once, when the last of its batches is acknowledged, with every record in the order sent', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ flush }) => {
      const { cluster, producer } = setup(scheduler, { retryBackoffMs: 10 });
      // Partition 0 is answered retriably once: its batch is acknowledged after partition 1's.
      cluster.fault('t', 0, { errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER });
      const result = producer.send([
        { topic: 't', partition: 0, value: 'a' },
        { topic: 't', partition: 1, value: 'b' },
        { topic: 't', partition: 0, value: 'c' },
      ]);
      const seen: unknown[] = [];
      result.subscribe({
        next: (m) => seen.push([scheduler.now(), metadataOf(m)]),
        complete: () => seen.push('complete'),
      });
      scheduler.schedule(
        () => seen.push([scheduler.now(), 'partition 1 written', cluster.log('t', 1).length]),
        1,
      );
      flush();
      expect(cluster.log('t', 0)).toHaveLength(2);
      expect(seen).toEqual([
        [1, 'partition 1 written', 1],
        [
          expect.any(Number),
          [
            [0, 0n],
            [1, 0n],
            [0, 1n],
          ],
        ],
        'complete',
      ]);
      expect((seen[1] as [number])[0]).toBeGreaterThan(10);
    });
  });

  it('fails as the first of its batches that fails, even when the others are acknowledged', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ expectObservable, flush }) => {
      const { cluster, producer } = setup(scheduler);
      cluster.fault('t', 1, { errorCode: ErrorCode.MESSAGE_TOO_LARGE });
      const result = producer.send([
        { topic: 't', partition: 0, value: 'a' },
        { topic: 't', partition: 1, value: 'b' },
        { topic: 't', partition: 0, value: 'c' },
      ]);
      expectObservable(result).toBe(
        '1ms #',
        undefined,
        expect.objectContaining({ name: 'RecordTooLargeError' }),
      );
      flush();
      expect(cluster.log('t', 0).map((r) => r.value?.toString())).toEqual(['a', 'c']);
    });
  });
});
