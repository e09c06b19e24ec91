import { defer, of, Subject, throwError } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { eager } from '../src/eager';

describe('eager', () => {
  it('subscribes to the source at the call, not at the first subscriber', () => {
    let subscribed = 0;
    const source = new Subject<number>();
    const result = eager(
      defer(() => {
        subscribed++;
        return source;
      }),
    );
    expect(subscribed).toBe(1);
    source.next(7);
    source.complete();
    const seen: number[] = [];
    result.subscribe((v) => seen.push(v));
    expect(seen).toEqual([7]);
  });

  it('replays the last value and completion to every subscriber, late ones included', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ cold, expectObservable }) => {
      const result = eager(cold('--a--b|'));
      expectObservable(result).toBe('------(b|)');
      expectObservable(result, '20ms ^').toBe('20ms (b|)');
    });
  });

  it('resolves when awaited with the last value, and rejects with the error', async () => {
    await expect(eager(of(1, 2, 3))).resolves.toBe(3);
    const error = new Error('refused');
    await expect(eager(throwError(() => error))).rejects.toBe(error);
  });

  it('an error nobody looks at is no unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const listener = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', listener);
    try {
      eager(throwError(() => new Error('ignored')));
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', listener);
    }
  });
});
