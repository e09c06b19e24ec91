import { defer, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { retryWithBackoff } from '../../src/cluster/retry-with-backoff';
import { KafkaRxError } from '../../src/errors';

const retriable = new KafkaRxError('NOT_COORDINATOR', 'the coordinator moved', { code: 16, retriable: true });
const final = new KafkaRxError('GROUP_AUTHORIZATION_FAILED', 'not allowed', { code: 30 });

function scheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

/** A source whose first `failures` subscriptions fail with `error` after 1 ms, and later ones emit `a`. */
function failing(
  cold: TestScheduler['createColdObservable'],
  failures: number,
  error: unknown,
): { source$: Observable<string>; subscriptions: () => number } {
  let n = 0;
  const source$ = defer(() => {
    n += 1;
    return n <= failures ? cold<string>('-#', undefined, error) : cold('-a|');
  });
  return { source$, subscriptions: () => n };
}

describe('retryWithBackoff', () => {
  it('resubscribes after a retriable error, the wait doubling on the clock each time', () => {
    const testScheduler = scheduler();
    testScheduler.run(({ cold, expectObservable }) => {
      const { source$ } = failing(cold, 2, retriable);
      const backoff = { initial: 100, max: 1000, jitter: 0 };
      // Fails at 1 ms, again at 102 ms (after 100), succeeds at 303 ms (after 200).
      expectObservable(source$.pipe(retryWithBackoff({ clock: testScheduler, retries: 5, backoff }))).toBe(
        '303ms a|',
      );
    });
  });

  it('passes an error not worth a retry through at once', () => {
    const testScheduler = scheduler();
    let count = () => 0;
    testScheduler.run(({ cold, expectObservable }) => {
      const { source$, subscriptions } = failing(cold, 1, final);
      count = subscriptions;
      const backoff = { initial: 100, max: 1000, jitter: 0 };
      expectObservable(source$.pipe(retryWithBackoff({ clock: testScheduler, retries: 5, backoff }))).toBe(
        '-#',
        undefined,
        final,
      );
    });
    expect(count()).toBe(1);
  });

  it('asks shouldRetry which errors are worth a retry', () => {
    const testScheduler = scheduler();
    testScheduler.run(({ cold, expectObservable }) => {
      const { source$ } = failing(cold, 1, final);
      const options = {
        clock: testScheduler,
        backoff: { initial: 10, max: 10, jitter: 0 },
        shouldRetry: (error: unknown) => error === final,
      };
      expectObservable(source$.pipe(retryWithBackoff(options))).toBe('12ms a|');
    });
  });

  it('gives up with the last error once its retries are spent', () => {
    const testScheduler = scheduler();
    testScheduler.run(({ cold, expectObservable }) => {
      const { source$ } = failing(cold, Infinity, retriable);
      const backoff = { initial: 100, max: 1000, jitter: 0 };
      // Attempts at 0, 101 and 302 ms; the third fails at 303 ms.
      expectObservable(source$.pipe(retryWithBackoff({ clock: testScheduler, retries: 2, backoff }))).toBe(
        '303ms #',
        undefined,
        retriable,
      );
    });
  });

  it('gives up when the next attempt would start past maxElapsedMs, counted from the subscription', () => {
    const testScheduler = scheduler();
    testScheduler.run(({ cold, expectObservable }) => {
      const { source$ } = failing(cold, Infinity, retriable);
      const options = {
        clock: testScheduler,
        backoff: { initial: 100, max: 100, jitter: 0 },
        maxElapsedMs: 250,
      };
      // Subscribed at 10 ms: attempts at 10, 111 and 212 ms; one at 313 ms would pass 260 ms.
      expectObservable(source$.pipe(retryWithBackoff(options)), '10ms ^').toBe(
        '213ms #',
        undefined,
        retriable,
      );
    });
  });

  it('cuts a wait short at waitsEndBy: the retry starts there, not a backoff after it', () => {
    const testScheduler = scheduler();
    testScheduler.run(({ cold, expectObservable }) => {
      const { source$ } = failing(cold, 1, retriable);
      const options = {
        clock: testScheduler,
        backoff: { initial: 1000, max: 1000, jitter: 0 },
        waitsEndBy: () => 300,
      };
      // Fails at 1 ms; the retry at 300 ms (not 1001 ms) answers 1 ms later.
      expectObservable(source$.pipe(retryWithBackoff(options))).toBe('301ms a|');
    });
  });

  it('spreads the wait by the jitter, with the random source it is given', () => {
    const testScheduler = scheduler();
    testScheduler.run(({ cold, expectObservable }) => {
      const { source$ } = failing(cold, 1, retriable);
      const options = {
        clock: testScheduler,
        backoff: { initial: 100, max: 1000, jitter: 0.2 },
        random: () => 0,
      };
      // 100 ms less 20 %.
      expectObservable(source$.pipe(retryWithBackoff(options))).toBe('82ms a|');
    });
  });
});
