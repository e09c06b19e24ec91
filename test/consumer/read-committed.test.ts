import { concatWith, ignoreElements, throwError, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { ConsumerRecord } from '../../src/consumer/types';
import type { Producer } from '../../src/producer';
import { createFakeCluster, type FakeCluster } from '../../src/testing';
import { fakeClusterConsumer } from '../support/fake-cluster-consumer';
import { transactionalProducer } from '../support/transactional-producer';

// read_committed through kafka-rx's consumer, in virtual time, against transactions that the
// fake cluster's transaction coordinator commits and aborts with markers in the log. The
// transactions come from kafka-rx's transactional producer over the memory transport.

interface Delivered {
  readonly at: number;
  readonly offset: bigint;
  readonly value: string;
}

const records = (...values: string[]) => values.map((value) => ({ topic: 't', partition: 0, value }));

/**
 * At 0 ms a transaction of a, b commits; at 100 ms one of x, y is aborted after its records are
 * written; at 200 ms a transaction writes c and stays open while a plain record p is appended
 * after it (300 ms); it commits at 2000 ms. The log: a0 b1 COMMIT2 x3 y4 ABORT5 c6 p7 COMMIT8.
 */
function writeTransactions(cluster: FakeCluster, producer: Producer, scheduler: TestScheduler): void {
  const run = (at: number, work: () => Observable<unknown>) =>
    scheduler.schedule(() => work().subscribe({ error: () => undefined }), at);
  run(0, () => producer.transaction((tx) => tx.send(records('a', 'b'))));
  run(100, () =>
    producer.transaction((tx) =>
      tx.send(records('x', 'y')).pipe(
        ignoreElements(),
        // The records are in the log when the work fails: the transaction is aborted.
        concatWith(throwError(() => new Error('transform failed'))),
      ),
    ),
  );
  run(200, () => {
    producer.beginTransaction();
    return producer.send(records('c'));
  });
  scheduler.schedule(() => cluster.append('t', 0, [{ value: 'p' }]), 300);
  run(2000, () => producer.commitTransaction());
}

function consume(isolationLevel: 'read_committed' | 'read_uncommitted') {
  const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
  const delivered: Delivered[] = [];
  let log: string[] = [];
  let committed: bigint[] = [];
  scheduler.run(() => {
    const cluster = createFakeCluster({ topics: { t: 1 }, clock: scheduler });
    const producer = transactionalProducer(cluster, scheduler, 'writer');
    writeTransactions(cluster, producer, scheduler);
    const consumer = fakeClusterConsumer(cluster, scheduler, {
      groupId: 'readers',
      autoCommit: { intervalMs: 1000 },
      isolationLevel,
    });
    const subscription = consumer.messages$.subscribe((r: ConsumerRecord) =>
      delivered.push({ at: scheduler.now(), offset: r.offset, value: r.value!.toString() }),
    );
    scheduler.schedule(() => {
      log = cluster.records('t', 0).map((r) => `${r.offset}:${r.value}`);
      committed = cluster.committedOffsets('readers').map((c) => c.offset);
      subscription.unsubscribe();
      void producer.close();
    }, 5000);
  });
  return { delivered, log, committed };
}

describe('read_committed through the consumer, against transactions in the fake cluster (virtual time)', () => {
  it('delivers committed records once, never aborted ones, and commits offsets past the markers', () => {
    const { delivered, committed } = consume('read_committed');

    expect(delivered.map((d) => `${d.offset}:${d.value}`)).toEqual(['0:a', '1:b', '6:c', '7:p']);
    // c and the plain record after it wait for the transaction's commit (the last stable offset).
    expect(delivered.filter((d) => d.value === 'c' || d.value === 'p').every((d) => d.at >= 2000)).toBe(true);
    expect(delivered.find((d) => d.value === 'a')!.at).toBeLessThan(2000);
    // The position is past the last marker: nothing is fetched again, nothing is left behind.
    expect(committed).toEqual([9n]);
  });

  it('read_uncommitted delivers every record, aborted ones included, at once', () => {
    const { delivered, log, committed } = consume('read_uncommitted');

    // The data records of the log (the markers are control batches, never records).
    expect(log).toEqual(['0:a', '1:b', '3:x', '4:y', '6:c', '7:p']);
    expect(delivered.map((d) => `${d.offset}:${d.value}`)).toEqual(log);
    expect(delivered.find((d) => d.value === 'c')!.at).toBeLessThan(2000);
    expect(committed).toEqual([9n]);
  });
});
