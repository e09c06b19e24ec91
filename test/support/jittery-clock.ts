import type { TestScheduler } from 'rxjs/testing';
import type { Clock } from '../../src/time/clock';

/**
 * A clock over a `TestScheduler` whose timers may fire a millisecond before `now()` says their
 * delay has passed, as Node's timers do against `Date.now()` (they run on a monotonic clock).
 * `lagOf(n)` tells whether the n-th timer with a delay fires early (its callback sees `now()` one
 * millisecond behind); code running outside timers sees the scheduler's time.
 */
export function jitteryClock(scheduler: TestScheduler, lagOf: (n: number) => boolean): Clock {
  let early = 0;
  let fired = 0;
  return {
    now: () => scheduler.now() - early,
    schedule(work: (this: unknown, state?: unknown) => void, delay?: number, state?: unknown) {
      return scheduler.schedule(
        function (this: unknown, s?: unknown) {
          const outer = early;
          early = delay && lagOf(fired++) ? 1 : 0;
          try {
            work.call(this, s);
          } finally {
            early = outer;
          }
        },
        delay,
        state,
      );
    },
  } as Clock;
}

/** A small seeded generator of numbers in [0, 1) (mulberry32), so a "random" lag pattern repeats. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
