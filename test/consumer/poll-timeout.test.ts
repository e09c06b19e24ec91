import { TestScheduler } from 'rxjs/testing';
import { pollTimeout$ } from '../../src/consumer/poll-timeout';

function scheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

describe('pollTimeout$', () => {
  it('emits once and completes maxPollIntervalMs after the last activity while records wait', () => {
    const ts = scheduler();
    ts.run(({ hot, expectObservable }) => {
      // Activity at 2 and 6: due at 10 (not at 4 or 8), then done.
      const activity = hot('--a---a');
      expectObservable(pollTimeout$(activity, () => true, 4, ts)).toBe('----------(x|)', { x: undefined });
    });
  });

  it('does not trip while nothing waits: an idle application is not a stuck one', () => {
    const ts = scheduler();
    ts.run(({ hot, expectObservable }) => {
      const activity = hot('------a');
      expectObservable(
        pollTimeout$(activity, () => false, 4, ts),
        '^ 20ms !',
      ).toBe('');
    });
  });

  it('trips at the first deadline that finds records waiting', () => {
    const ts = scheduler();
    ts.run(({ hot, expectObservable }) => {
      // Nothing waits at 4; records are appended at 6 (activity) and still wait at 10.
      let waiting = false;
      const activity = hot('------a');
      ts.schedule(() => (waiting = true), 6);
      expectObservable(pollTimeout$(activity, () => waiting, 4, ts)).toBe('----------(x|)', { x: undefined });
    });
  });
});
