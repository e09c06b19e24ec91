import { concat, defer, ignoreElements, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { ProducerFencedError } from '../../src/producer';
import { decodeRecords } from '../../src/protocol/records';
import { Fetch } from '../../src/protocol/specs';
import { createFakeCluster, type FakeCluster } from '../../src/testing';
import { callNow } from '../support/fake-request';
import { transactionalProducer } from '../support/transactional-producer';

// kafka-rx's transactional producer against the fake cluster's transaction coordinator, in
// virtual time: what lands in the log (markers included), what read_committed sees, which offsets
// the group gets, and fencing by a second producer with the same transactionalId.

const GROUP = { groupId: 'g', generationId: -1, memberId: '', groupInstanceId: null };

/** Runs `script` on a fresh cluster in virtual time; `results` collects what each step ended with. */
function inVirtualTime(
  script: (
    cluster: FakeCluster,
    scheduler: TestScheduler,
    step: (at: number, name: string, work: () => Observable<unknown>) => void,
  ) => void,
) {
  const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
  const results: Record<string, string> = {};
  let cluster!: FakeCluster;
  scheduler.run(() => {
    cluster = createFakeCluster({ topics: { out: 1, in: 1 }, clock: scheduler });
    script(cluster, scheduler, (at, name, work) =>
      scheduler.schedule(
        () =>
          work().subscribe({
            complete: () => (results[name] = 'done'),
            error: (e: Error) => (results[name] = e.name),
          }),
        at,
      ),
    );
  });
  return { cluster, results };
}

/** What a read_committed reader gets from partition 0 of `out`: Fetch, filtered by its abortedTransactions. */
function readCommitted(cluster: FakeCluster): string[] {
  const p = callNow(cluster, Fetch, 12, {
    replicaId: -1,
    maxWaitMs: 0,
    minBytes: 1,
    maxBytes: 1 << 20,
    isolationLevel: 1,
    sessionId: 0,
    sessionEpoch: -1,
    topics: [
      {
        topic: 'out',
        partitions: [
          {
            partition: 0,
            currentLeaderEpoch: -1,
            fetchOffset: 0n,
            lastFetchedEpoch: -1,
            logStartOffset: -1,
            partitionMaxBytes: 1 << 20,
          },
        ],
      },
    ],
    forgottenTopicsData: [],
    rackId: '',
  })!.responses[0].partitions[0];
  return decodeRecords(p.records, {
    isolationLevel: 'read_committed',
    abortedTransactions: p.abortedTransactions,
  }).records.map((r) => r.value!.toString());
}

describe('transactional producer against the fake cluster (virtual time)', () => {
  it('commits records and offsets together, and aborts both together', () => {
    let afterAbort: bigint[] = [];
    const { cluster, results } = inVirtualTime((cluster, scheduler, step) => {
      const producer = transactionalProducer(cluster, scheduler, 'tx');
      const txn = (value: string, offset: bigint) => () =>
        concat(
          producer.send({ topic: 'out', partition: 0, value }).pipe(ignoreElements()),
          producer.sendOffsetsToTransaction([{ topic: 'in', partition: 0, offset }], GROUP),
        );
      step(0, 'first', () => producer.transaction(txn('a', 1n)));
      step(100, 'second', () => {
        producer.beginTransaction();
        // abortTransaction() acts when called: defer it until the transaction's work is done.
        return concat(
          txn('x', 2n)(),
          defer(() => producer.abortTransaction()),
        );
      });
      scheduler.schedule(() => (afterAbort = cluster.committedOffsets('g').map((c) => c.offset)), 150);
      step(200, 'third', () => producer.transaction(txn('b', 3n)));
    });

    expect(results).toEqual({ first: 'done', second: 'done', third: 'done' });
    // The aborted transaction's offset (2) never became the group's.
    expect(afterAbort).toEqual([1n]);
    expect(cluster.committedOffsets('g').map((c) => c.offset)).toEqual([3n]);
    // Every record is in the log; the aborted one is hidden from read_committed by its marker.
    expect(cluster.records('out', 0).map((r) => `${r.offset}:${r.value}`)).toEqual(['0:a', '2:x', '4:b']);
    expect(cluster.offsets('out', 0)).toMatchObject({ highWatermark: 6n, lastStableOffset: 6n });
    expect(readCommitted(cluster)).toEqual(['a', 'b']);
  });

  it('a second producer with the same transactionalId fences the first and aborts its open transaction', () => {
    const { cluster, results } = inVirtualTime((cluster, scheduler, step) => {
      const first = transactionalProducer(cluster, scheduler, 'tx');
      const second = transactionalProducer(cluster, scheduler, 'tx');
      step(0, 'first sends', () => {
        first.beginTransaction();
        return first.send({ topic: 'out', partition: 0, value: 'from the first' });
      });
      // The second one's InitProducerId bumps the epoch: the first's transaction is aborted.
      step(100, 'second', () =>
        second.transaction((p) => p.send({ topic: 'out', partition: 0, value: 'from the second' })),
      );
      step(200, 'first commits', () => first.commitTransaction());
    });

    expect(results).toEqual({
      'first sends': 'done',
      second: 'done',
      'first commits': ProducerFencedError.name,
    });
    expect(cluster.records('out', 0).map((r) => r.value!.toString())).toEqual([
      'from the first',
      'from the second',
    ]);
    expect(readCommitted(cluster)).toEqual(['from the second']);
  });
});
