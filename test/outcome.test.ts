import { firstValueFrom, forkJoin, isObservable, map } from 'rxjs';
import { Outcome } from '../src/outcome';

/** An outcome settled by hand, counting how often its value is built. */
class Settable extends Outcome<number[]> {
  builds = 0;
  settle(): void {
    this.resolve();
  }
  fail(error: unknown): void {
    this.reject(error);
  }
  protected value(): number[] {
    this.builds++;
    return [this.builds];
  }
}

describe('Outcome', () => {
  it('delivers its value then complete to subscribers before and after it settles', () => {
    const outcome = new Settable();
    const early: unknown[] = [];
    const late: unknown[] = [];
    outcome.subscribe({ next: (v) => early.push(v), complete: () => early.push('done') });
    expect(early).toEqual([]);
    outcome.settle();
    outcome.subscribe({ next: (v) => late.push(v), complete: () => late.push('done') });
    expect(early).toEqual([[1], 'done']);
    expect(late).toEqual([[2], 'done']);
  });

  it('builds no value for nobody, and tells nothing to a subscriber that left', () => {
    const outcome = new Settable();
    const seen: unknown[] = [];
    outcome.subscribe((v) => seen.push(v)).unsubscribe();
    outcome.settle();
    expect(seen).toEqual([]);
    expect(outcome.builds).toBe(0);
  });

  it('replays an error, and is awaited as a promise', async () => {
    const failed = new Settable();
    failed.fail(new Error('boom'));
    const errors: unknown[] = [];
    failed.subscribe({ error: (e: Error) => errors.push(e.message) });
    expect(errors).toEqual(['boom']);
    await expect(failed).rejects.toThrow('boom');
    const settled = new Settable();
    setImmediate(() => settled.settle());
    await expect(settled).resolves.toEqual([1]);
  });

  it('an await and a subscriber waiting together get the one value built; an await waiting for a failure rejects', async () => {
    const outcome = new Settable();
    const awaited = outcome.then((v) => v);
    const seen: unknown[] = [];
    outcome.subscribe((v) => seen.push(v));
    outcome.settle();
    expect(await awaited).toEqual([1]);
    expect(seen).toEqual([[1]]);
    expect(outcome.builds).toBe(1);
    const failing = new Settable();
    const rejected = expect(failing).rejects.toThrow('late');
    failing.fail(new Error('late'));
    await rejected;
  });

  it('settles once: a later resolve or reject changes nothing', async () => {
    const outcome = new Settable();
    outcome.fail(new Error('first'));
    outcome.settle();
    outcome.fail(new Error('second'));
    await expect(firstValueFrom(outcome)).rejects.toThrow('first');
  });

  it('is an Observable to RxJS: pipe, forkJoin, isObservable', async () => {
    const a = new Settable();
    const b = new Settable();
    expect(isObservable(a)).toBe(true);
    const joined = firstValueFrom(forkJoin([a.pipe(map((v) => v.length)), b]));
    a.settle();
    b.settle();
    await expect(joined).resolves.toEqual([1, [1]]);
  });

  it('a rejection nobody awaits is no unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const listener = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', listener);
    try {
      new Settable().fail(new Error('unseen'));
      const subscribedOnly = new Settable();
      subscribedOnly.subscribe({ error: () => undefined });
      subscribedOnly.fail(new Error('seen by a subscriber'));
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', listener);
    }
  });
});
