/**
 * A marble test of an application's pipeline: a consumer group on the fake cluster in virtual
 * time, records appended at given frames, and the pipeline's output and the group's commits
 * checked frame by frame. Nothing waits on the wall clock: five virtual seconds run at once.
 *
 *   import { createFakeCluster, produceAt, runConsumerGroup, commitsAsText } from 'kafka-rx/testing';
 */
// #region marble-test
import { filter, map, type OperatorFunction } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { ConsumerRecord } from '../src';
import { commitsAsText, createFakeCluster, produceAt, runConsumerGroup } from '../src/testing';

/** The application's pipeline under test: orders of at least `minimum`, as `id: total`. */
function largeOrders(minimum: number): OperatorFunction<ConsumerRecord, string> {
  return (records$) =>
    records$.pipe(
      map((record) => JSON.parse(record.value?.toString() ?? 'null') as { id: string; total: number }),
      filter((order) => order.total >= minimum),
      map((order) => `${order.id}: ${order.total}`),
    );
}

const order = (id: string, total: number) => ({ key: id, value: JSON.stringify({ id, total }) });

describe('largeOrders, on a consumer group in virtual time', () => {
  it('passes the large orders on as they arrive, and the group auto-commits after 5 s', () => {
    // A fresh TestScheduler per test: a reused one keeps its virtual clock running.
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(({ expectObservable }) => {
      const cluster = createFakeCluster({ topics: { orders: 1 }, clock: scheduler });
      const group = runConsumerGroup(cluster, {
        members: 1,
        config: {
          groupId: 'billing',
          topics: ['orders'],
          fromBeginning: true,
          autoCommit: { intervalMs: 5000 },
        },
      });
      produceAt(
        cluster,
        '1s a 999ms b 999ms c',
        { a: order('o-1', 250), b: order('o-2', 20), c: order('o-3', 100) },
        { topic: 'orders' },
      ).subscribe();

      expectObservable(
        group.messages$.pipe(
          map((tagged) => tagged.value),
          largeOrders(100),
        ),
        '^ 6s !',
      ).toBe('1s a 1999ms c', { a: 'o-1: 250', c: 'o-3: 100' });
      // Small orders are consumed too, so the commit covers all three records.
      expectObservable(
        group.commits$.pipe(
          map((tagged) => tagged.value),
          commitsAsText(),
        ),
        '^ 6s !',
      ).toBe('5s a', {
        a: 'auto orders-0@3',
      });
    });
  });
});
// #endregion
