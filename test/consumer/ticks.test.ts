import { map, NEVER, of, queueScheduler } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { initialMembership, type MembershipState } from '../../src/consumer/membership/state';
import { ticks } from '../../src/consumer/ticks';

function scheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

const base = initialMembership();
const states: Record<string, MembershipState> = {
  s: { ...base, phase: 'stable', seq: 1 },
  r: { ...base, phase: 'rebalancing', seq: 2 },
  j: { ...base, phase: 'joining', seq: 3 },
  t: { ...base, phase: 'stable', seq: 4 },
  // The phase changes, the seq does not (the reducer never does this, but ticks keys on both).
  x: { ...base, phase: 'rebalancing', seq: 1 },
};
const letter = map((t: { type: string }) => t.type[0]);

describe('ticks', () => {
  it('merges heartbeat, auto-commit and demand ticks while stable; a new generation restarts the timers', () => {
    const ts = scheduler();
    ts.run(({ hot, expectObservable }) => {
      const member = hot('s 9ms r 9ms t', states);
      const demand = hot('-- d 17ms d');
      const out = ticks(member, { heartbeatIntervalMs: 3, autoCommitIntervalMs: 5 }, demand, ts).pipe(letter);
      expectObservable(out, '^ 27ms !').toBe('--fh-ch--h----------f--h-ch');
    });
  });

  it('heartbeat cadence: one every heartbeatIntervalMs, nothing in joining or rebalancing', () => {
    const ts = scheduler();
    ts.run(({ hot, expectObservable }) => {
      const member = hot('j 4ms s 9ms r 4ms s', states);
      const out = ticks(member, { heartbeatIntervalMs: 3, autoCommitIntervalMs: null }, NEVER, ts).pipe(
        letter,
      );
      expectObservable(out, '^ 27ms !').toBe('--------h--h--h--------h--h');
    });
  });

  it('a new generation straight from stable to stable restarts the heartbeat and auto-commit timers', () => {
    const ts = scheduler();
    ts.run(({ hot, expectObservable }) => {
      // Generation s at 0, generation t at 5 ms with no phase in between.
      const member = hot('s 4ms t', states);
      const out = ticks(member, { heartbeatIntervalMs: 3, autoCommitIntervalMs: 7 }, NEVER, ts).pipe(letter);
      // From s: h at 3. From t (5): h at 8, 11, 14 and c at 12, not h at 6, 9, 12 and c at 7, 14.
      expectObservable(out, '^ 15ms !').toBe('---h----h--hc-h-');
    });
  });

  it('the same membership emitted again keeps the timers running', () => {
    const ts = scheduler();
    ts.run(({ hot, expectObservable }) => {
      const member = hot('s 4ms s', states);
      const out = ticks(member, { heartbeatIntervalMs: 3, autoCommitIntervalMs: 5 }, NEVER, ts).pipe(letter);
      // A restart at 5 ms would give h at 8 and 11 and c at 10 instead.
      expectObservable(out, '^ 12ms !').toBe('---h-ch--hc-h');
    });
  });

  it('a new phase is a new membership even at the same seq', () => {
    const ts = scheduler();
    ts.run(({ hot, expectObservable }) => {
      const member = hot('s 4ms x', states);
      const out = ticks(member, { heartbeatIntervalMs: 3, autoCommitIntervalMs: null }, NEVER, ts).pipe(
        letter,
      );
      expectObservable(out, '^ 12ms !').toBe('---h---------');
    });
  });

  it('without auto-commit there is no commit tick, also on a clock that runs due-now work at once', () => {
    // queueScheduler runs a zero or null delay synchronously: an interval built from the null
    // autoCommitIntervalMs would show up here as a commit tick at subscription.
    const seen: string[] = [];
    const subscription = ticks(
      of(states['s']),
      { heartbeatIntervalMs: 60_000, autoCommitIntervalMs: null },
      NEVER,
      queueScheduler,
    ).subscribe((t) => seen.push(t.type));
    subscription.unsubscribe();
    expect(seen).toEqual([]);
  });
});
