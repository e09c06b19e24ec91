import { from, lastValueFrom, scan, toArray } from 'rxjs';
import { ErrorCode } from '../../../src/protocol/errors';
import type { MembershipEvent } from '../../../src/consumer/membership/events';
import { membershipReducer } from '../../../src/consumer/membership/reducer';
import { initialMembership, isLeader, type MembershipState } from '../../../src/consumer/membership/state';

const tp = (topic: string, partition: number) => ({ topic, partition });
const joined = (memberId: string, generationId: number, leader = memberId): MembershipEvent => ({
  type: 'joined',
  memberId,
  generationId,
  leader,
  protocolName: 'range',
  members: [],
});

function run(events: MembershipEvent[], start: MembershipState = initialMembership()): MembershipState {
  return events.reduce(membershipReducer, start);
}

function stable(assignment = [tp('t', 0), tp('t', 1)], options = {}): MembershipState {
  return run(
    [{ type: 'subscribe' }, joined('m1', 5), { type: 'synced', assignment }],
    initialMembership(options),
  );
}

describe('membershipReducer', () => {
  it('walks unjoined -> joining -> syncing -> stable', () => {
    const phases = [initialMembership()];
    for (const e of [
      { type: 'subscribe' },
      joined('m1', 1),
      { type: 'synced', assignment: [tp('t', 1), tp('t', 0)] },
    ] as MembershipEvent[]) {
      phases.push(membershipReducer(phases[phases.length - 1], e));
    }
    expect(phases.map((s) => s.phase)).toEqual(['unjoined', 'joining', 'syncing', 'stable']);
    const last = phases[3];
    expect(last.memberId).toBe('m1');
    expect(last.generationId).toBe(1);
    expect(isLeader(last)).toBe(true);
    expect(last.assignment).toEqual([tp('t', 0), tp('t', 1)]);
  });

  it('can be driven by scan over an event stream', async () => {
    const states = await lastValueFrom(
      from([
        { type: 'subscribe' },
        joined('m1', 2, 'm0'),
        { type: 'synced', assignment: [] },
      ] as MembershipEvent[]).pipe(scan(membershipReducer, initialMembership()), toArray()),
    );
    expect(states.map((s) => s.phase)).toEqual(['joining', 'syncing', 'stable']);
    expect(isLeader(states[2])).toBe(false);
  });

  it('joins a second time with the member id given by MEMBER_ID_REQUIRED (KIP-394), without backoff', () => {
    const joining = run([
      { type: 'subscribe' },
      { type: 'join-failed', errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE },
    ]);
    expect(joining.attempt).toBe(1);
    const again = membershipReducer(joining, {
      type: 'join-failed',
      errorCode: ErrorCode.MEMBER_ID_REQUIRED,
      memberId: 'm-given',
    });
    expect(again.phase).toBe('joining');
    expect(again.memberId).toBe('m-given');
    expect(again.seq).toBeGreaterThan(joining.seq);
    expect(again.attempt).toBe(0);
  });

  it('retries JoinGroup with growing attempts on coordinator errors', () => {
    const s = run([
      { type: 'subscribe' },
      { type: 'join-failed', errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE },
      { type: 'join-failed', errorCode: ErrorCode.NOT_COORDINATOR },
    ]);
    expect(s.phase).toBe('joining');
    expect(s.attempt).toBe(2);
  });

  it("names the reason for a failed JoinGroup by Kafka's error name, or by the code when unknown", () => {
    const named = run([
      { type: 'subscribe' },
      { type: 'join-failed', errorCode: ErrorCode.COORDINATOR_LOAD_IN_PROGRESS },
    ]);
    expect(named.reason).toBe('COORDINATOR_LOAD_IN_PROGRESS');
    const unknown = run([{ type: 'subscribe' }, { type: 'join-failed', errorCode: 9999 }]);
    expect(unknown.reason).toBe('error 9999');
  });

  it('closes with a clear error on a fatal JoinGroup error', () => {
    const s = run([
      { type: 'subscribe' },
      { type: 'join-failed', errorCode: ErrorCode.INCONSISTENT_GROUP_PROTOCOL },
    ]);
    expect(s.phase).toBe('closed');
    expect(s.error?.name).toBe('GroupMembershipError');
    expect(s.error?.message).toMatch(/INCONSISTENT_GROUP_PROTOCOL/);
  });

  it('REBALANCE_IN_PROGRESS on heartbeat commits and revokes everything (eager), then rejoins with the same member id', () => {
    const s = membershipReducer(stable(), {
      type: 'heartbeat-failed',
      errorCode: ErrorCode.REBALANCE_IN_PROGRESS,
    });
    expect(s.phase).toBe('rebalancing');
    expect(s.giveUp).toEqual({
      commit: [tp('t', 0), tp('t', 1)],
      revoke: [tp('t', 0), tp('t', 1)],
      lost: false,
      trigger: 'revoke',
      then: 'rejoin',
    });
    const after = membershipReducer(s, { type: 'given-up' });
    expect(after.phase).toBe('joining');
    expect(after.memberId).toBe('m1');
    expect(after.assignment).toEqual([]);
  });

  it('REBALANCE_IN_PROGRESS on a cooperative member commits but keeps its partitions', () => {
    const s = membershipReducer(stable(undefined, { cooperative: true }), {
      type: 'heartbeat-failed',
      errorCode: ErrorCode.REBALANCE_IN_PROGRESS,
    });
    expect(s.giveUp?.commit).toHaveLength(2);
    expect(s.giveUp?.revoke).toEqual([]);
    expect(membershipReducer(s, { type: 'given-up' }).assignment).toHaveLength(2);
  });

  it('a cooperative member gives up only the partitions that moved, then rejoins', () => {
    const rejoining = membershipReducer(
      membershipReducer(stable([tp('t', 0), tp('t', 1)], { cooperative: true }), {
        type: 'heartbeat-failed',
        errorCode: ErrorCode.REBALANCE_IN_PROGRESS,
      }),
      { type: 'given-up' },
    );
    const s = run([joined('m1', 6), { type: 'synced', assignment: [tp('t', 0)] }], rejoining);
    expect(s.phase).toBe('rebalancing');
    expect(s.giveUp?.revoke).toEqual([tp('t', 1)]);
    const after = membershipReducer(s, { type: 'given-up' });
    expect(after.phase).toBe('joining');
    expect(after.assignment).toEqual([tp('t', 0)]);
  });

  it.each([ErrorCode.ILLEGAL_GENERATION, ErrorCode.UNKNOWN_MEMBER_ID])(
    'heartbeat error %i loses the partitions and resets the member',
    (code) => {
      const s = membershipReducer(stable(), { type: 'heartbeat-failed', errorCode: code });
      expect(s.phase).toBe('rebalancing');
      expect(s.giveUp?.lost).toBe(true);
      expect(s.giveUp?.commit).toEqual([]);
      expect(s.memberId).toBe('');
      expect(s.generationId).toBe(-1);
      expect(membershipReducer(s, { type: 'given-up' }).phase).toBe('joining');
    },
  );

  it('FENCED_INSTANCE_ID is fatal, with an error that names the instance id', () => {
    const s = membershipReducer(stable(undefined, { groupInstanceId: 'pod-1' }), {
      type: 'heartbeat-failed',
      errorCode: ErrorCode.FENCED_INSTANCE_ID,
    });
    expect(s.giveUp?.lost).toBe(true);
    const closed = membershipReducer(s, { type: 'given-up' });
    expect(closed.phase).toBe('closed');
    expect(closed.error?.name).toBe('FencedInstanceIdError');
    expect(closed.error?.message).toContain('pod-1');
    expect(closed.leaveGroup).toBe(false);
  });

  it('coordinator errors on heartbeat leave the membership unchanged', () => {
    const s = stable();
    expect(membershipReducer(s, { type: 'heartbeat-failed', errorCode: ErrorCode.NOT_COORDINATOR })).toBe(s);
    expect(
      membershipReducer(s, { type: 'heartbeat-failed', errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE }),
    ).toBe(s);
  });

  it('SyncGroup REBALANCE_IN_PROGRESS rejoins at once; a lost connection retries with backoff', () => {
    const syncing = run([{ type: 'subscribe' }, joined('m1', 3)]);
    const s = membershipReducer(syncing, { type: 'sync-failed', errorCode: ErrorCode.REBALANCE_IN_PROGRESS });
    expect([s.phase, s.attempt, s.memberId]).toEqual(['joining', 0, 'm1']);
    const t = membershipReducer(syncing, { type: 'request-failed', error: new Error('x') as never });
    expect([t.phase, t.attempt]).toEqual(['joining', 1]);
  });

  it('maxPollIntervalMs: commits, revokes and leaves, then rejoins as a new member when polled again', () => {
    const s = membershipReducer(stable(), { type: 'poll-timeout' });
    expect(s.giveUp?.then).toBe('leave');
    const left = membershipReducer(s, { type: 'given-up' });
    expect([left.phase, left.leaveGroup, left.assignment]).toEqual(['unjoined', true, []]);
    const back = membershipReducer(left, { type: 'poll-resumed' });
    expect([back.phase, back.memberId]).toEqual(['joining', '']);
  });

  it('poll-resumed does nothing before the first subscription', () => {
    const s = initialMembership();
    expect(membershipReducer(s, { type: 'poll-resumed' })).toBe(s);
  });

  it('close from stable commits with trigger close, then sends LeaveGroup (dynamic member)', () => {
    const s = membershipReducer(stable(), { type: 'close' });
    expect(s.giveUp).toMatchObject({ trigger: 'close', then: 'close', lost: false });
    const closed = membershipReducer(s, { type: 'given-up' });
    expect([closed.phase, closed.leaveGroup]).toEqual(['closed', true]);
    expect(membershipReducer(closed, { type: 'subscribe' })).toBe(closed);
  });

  it('a static member does not send LeaveGroup on close (KIP-345)', () => {
    const closed = run(
      [{ type: 'close' }, { type: 'given-up' }],
      stable(undefined, { groupInstanceId: 'pod-1' }),
    );
    expect(closed.phase).toBe('closed');
    expect(closed.leaveGroup).toBe(false);
  });

  it('close during a rebalance finishes giving up, then closes', () => {
    const s = run(
      [{ type: 'heartbeat-failed', errorCode: ErrorCode.REBALANCE_IN_PROGRESS }, { type: 'close' }],
      stable(),
    );
    expect(s.phase).toBe('rebalancing');
    expect(membershipReducer(s, { type: 'given-up' }).phase).toBe('closed');
  });

  it('ignores responses that belong to another phase', () => {
    const s = stable();
    expect(membershipReducer(s, joined('x', 9))).toBe(s);
    expect(membershipReducer(s, { type: 'synced', assignment: [] })).toBe(s);
  });
});
