import { asyncScheduler, exhaustMap, of } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { exhaustMapWithTrailing } from '../../src/consumer/exhaust-map-with-trailing';

function scheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

describe('exhaustMapWithTrailing', () => {
  it('answers values that came while a run was under way with one more run, for the last of them', () => {
    scheduler().run(({ hot, cold, expectObservable }) => {
      const source = hot('abc-------d----|');
      // (inside run(), asyncScheduler keeps virtual time)
      // Each run takes 4 frames and emits its value at the end.
      const project = (v: string) => cold('----(v|)', { v });
      // a runs 0-4; b and c came meanwhile: c runs 4-8; d runs 10-14.
      expectObservable(source.pipe(exhaustMapWithTrailing(project, asyncScheduler))).toBe('----a---c-----d|');
    });
  });

  it('where exhaustMap drops them', () => {
    scheduler().run(({ hot, cold, expectObservable }) => {
      const source = hot('abc-------d----|');
      const project = (v: string) => cold('----(v|)', { v });
      expectObservable(source.pipe(exhaustMap(project))).toBe('----a---------d|');
    });
  });

  it('runs each value whose run ends at once, without waiting for itself', () => {
    scheduler().run(({ hot, expectObservable }) => {
      const source = hot('abc|');
      expectObservable(source.pipe(exhaustMapWithTrailing((v) => of(v), asyncScheduler))).toBe('abc|');
    });
  });

  it('starts no run after the subscriber has left', () => {
    scheduler().run(({ hot, cold, expectObservable, flush }) => {
      const source = hot('a-b-------');
      let runs = 0;
      const project = (v: string) => {
        runs += 1;
        return cold('---(v|)', { v });
      };
      expectObservable(source.pipe(exhaustMapWithTrailing(project, asyncScheduler)), '^-!').toBe('---');
      flush();
      expect(runs).toBe(1);
    });
  });
});
