import { TestScheduler } from 'rxjs/testing';

/** A fresh TestScheduler, outside `run()`, that tests advance by hand in virtual milliseconds. */
export function virtualClock(): TestScheduler & { advanceTo(ms: number): void } {
  const scheduler = new TestScheduler((actual, expected) =>
    expect(actual).toEqual(expected),
  ) as TestScheduler & {
    advanceTo(ms: number): void;
  };
  scheduler.advanceTo = (ms: number) => {
    scheduler.maxFrames = ms;
    scheduler.flush();
    // flush() stops at the last action it ran; time itself has reached `ms`.
    scheduler.frame = Math.max(scheduler.frame, ms);
  };
  return scheduler;
}
