import { TestScheduler } from 'rxjs/testing';
import { sessionTimeout$ } from '../../src/consumer/session-timeout';

function scheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

describe('sessionTimeout$', () => {
  it('emits sessionTimeoutMs after subscription, then every sessionTimeoutMs, while no heartbeat succeeds', () => {
    const ts = scheduler();
    ts.run(({ cold, expectObservable }) => {
      expectObservable(sessionTimeout$(cold('-'), 5, ts), '^ 16ms !').toBe('-----x----x----x', {
        x: undefined,
      });
    });
  });

  it('a successful heartbeat starts the count again', () => {
    const ts = scheduler();
    ts.run(({ hot, expectObservable }) => {
      // Successes at 3 and 7: the first timeout is due at 12, not at 5.
      const ok = hot('---o---o');
      expectObservable(sessionTimeout$(ok, 5, ts), '^ 18ms !').toBe('------------x----x', { x: undefined });
    });
  });

  it('never emits while heartbeats succeed more often than the timeout', () => {
    const ts = scheduler();
    ts.run(({ hot, expectObservable }) => {
      const ok = hot('--o--o--o--o--o--o--o');
      expectObservable(sessionTimeout$(ok, 3, ts), '^ 20ms !').toBe('');
    });
  });
});
