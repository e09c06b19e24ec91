import { defer, of } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { partitionsChanged$, type PartitionCounts } from '../../src/consumer/partitions-changed';

function scheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

const topics = ['orders', 'payments'];
const both: PartitionCounts = new Map([
  ['orders', 2],
  ['payments', 1],
]);
const periods = { metadataMaxAgeMs: 10, missingPeriodMs: 3 };

describe('partitionsChanged$', () => {
  it('reads the counts every metadataMaxAgeMs and emits once, then completes, when a topic gains partitions', () => {
    const ts = scheduler();
    ts.run(({ expectObservable }) => {
      let reads = 0;
      const grown = new Map([...both, ['payments', 3]]);
      const refreshed = defer(() => of((reads += 1) < 2 ? both : grown));
      expectObservable(partitionsChanged$(of(both), refreshed, topics, periods, ts)).toBe(
        '--------------------(x|)',
        {
          x: grown,
        },
      );
    });
  });

  it('looks every missingPeriodMs while a subscribed topic is missing', () => {
    const ts = scheduler();
    ts.run(({ expectObservable }) => {
      const ordersOnly: PartitionCounts = new Map([['orders', 2]]);
      let reads = 0;
      const refreshed = defer(() => of((reads += 1) < 3 ? ordersOnly : both));
      expectObservable(partitionsChanged$(of(ordersOnly), refreshed, topics, periods, ts)).toBe(
        '---------(x|)',
        {
          x: both,
        },
      );
    });
  });

  it('never emits while the counts stay as assigned', () => {
    const ts = scheduler();
    ts.run(({ cold, expectObservable }) => {
      const refreshed = cold('(b|)', { b: new Map(both) });
      expectObservable(partitionsChanged$(of(both), refreshed, topics, periods, ts), '^ 50ms !').toBe('');
    });
  });
});
