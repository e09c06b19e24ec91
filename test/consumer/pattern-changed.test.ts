import { defer, of } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { patternChanged$ } from '../../src/consumer/pattern-changed';

function scheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

const topics = { a: ['orders-1'], b: ['orders-1', 'orders-2'] };

describe('patternChanged$', () => {
  it('reads the matching topics every metadataMaxAgeMs and emits once, then completes, when they differ', () => {
    const ts = scheduler();
    ts.run(({ expectObservable }) => {
      let reads = 0;
      const matching = defer(() => of((reads += 1) < 3 ? topics.a : topics.b));
      expectObservable(patternChanged$(matching, topics.a, 5, ts)).toBe('---------------(x|)', {
        x: topics.b,
      });
    });
  });

  it('skips the ticks that come while a metadata refresh is still under way', () => {
    const ts = scheduler();
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      // Refreshes take 7 ms: the tick at 10 finds the one of 5 in flight, the next read is at 15.
      const matching = cold('-------(a|)', topics);
      expectObservable(patternChanged$(matching, topics.b, 5, ts)).toBe('------------(x|)', { x: topics.a });
      expectSubscriptions(matching.subscriptions).toBe('-----^------!');
    });
  });

  it('never emits while the same topics match', () => {
    const ts = scheduler();
    ts.run(({ cold, expectObservable }) => {
      const matching = cold('(b|)', { b: ['orders-1', 'orders-2'] });
      expectObservable(patternChanged$(matching, topics.b, 5, ts), '^ 30ms !').toBe('');
    });
  });
});
