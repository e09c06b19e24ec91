import { map, NEVER } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { initialConsumerGroup, type ConsumerGroupState } from '../../../src/consumer/consumer-group/state';
import { ticks } from '../../../src/consumer/ticks';

function scheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

const base = initialConsumerGroup({ memberId: 'm' });
const states: Record<string, ConsumerGroupState> = {
  // Joined: the coordinator's interval (4 ms), nothing to acknowledge.
  s: { ...base, phase: 'stable', seq: 1, heartbeatIntervalMs: 4, acknowledge: false },
  r: { ...base, phase: 'rebalancing', seq: 2, heartbeatIntervalMs: 4 },
  // Reconciled: the next heartbeat acknowledges at once, then the interval again.
  a: { ...base, phase: 'stable', seq: 3, heartbeatIntervalMs: 4, acknowledge: true },
  // Giving partitions up for a new assignment: heartbeats go on, fetches and auto-commits stop.
  c: {
    ...base,
    phase: 'rebalancing',
    seq: 4,
    heartbeatIntervalMs: 3,
    giveUp: { commit: [], revoke: [], lost: false, trigger: 'revoke', then: 'reconcile' },
  },
  // Fenced: partitions lost, no heartbeat until it has joined again.
  l: {
    ...base,
    phase: 'rebalancing',
    seq: 5,
    heartbeatIntervalMs: 3,
    giveUp: { commit: [], revoke: [], lost: true, trigger: 'revoke', then: 'rejoin' },
  },
};
const letter = map((t: { type: string }) => t.type[0]);

describe('ticks under the consumer group protocol', () => {
  it("heartbeats at the coordinator's interval (not the configured one), and at once after a reconciliation", () => {
    const ts = scheduler();
    ts.run(({ hot, expectObservable }) => {
      const member = hot('s 9ms r 4ms a', states);
      // heartbeatIntervalMs 100 in the config is ignored: the membership carries the broker's 4 ms.
      const out = ticks(member, { heartbeatIntervalMs: 100, autoCommitIntervalMs: null }, NEVER, ts).pipe(
        letter,
      );
      expectObservable(out, '^ 24ms !').toBe('----h---h------h---h---h');
    });
  });

  it('heartbeats (only) while reconciling, nothing while fenced partitions are given up', () => {
    const ts = scheduler();
    ts.run(({ hot, expectObservable }) => {
      const member = hot('c 9ms l', states);
      const demand = hot('-d-d-d-d-d-d-d-d');
      const out = ticks(member, { heartbeatIntervalMs: 100, autoCommitIntervalMs: 1 }, demand, ts).pipe(
        letter,
      );
      expectObservable(out, '^ 20ms !').toBe('---h--h--h----------');
    });
  });
});
