import { ErrorCode } from '../../../src/protocol/errors';
import { fatalGroupError, fencedInstanceError } from '../../../src/consumer/errors';
import { KafkaRxError } from '../../../src/errors';
import { AuthenticationError, ConnectionError } from '../../../src/transport/errors';
import type { MembershipEvent } from '../../../src/consumer/membership/events';
import { membershipReducer } from '../../../src/consumer/membership/reducer';
import type { MembershipPhase } from '../../../src/consumer/membership/membership-phase';
import { initialMembership, isLeader, type MembershipState } from '../../../src/consumer/membership/state';

// Every transition of the reducer checked field by field: the next state must be the previous one
// with exactly the listed changes (seq, reason, giveUp plan, leaveGroup, ...), no more and no less.

const tp = (topic: string, partition: number) => ({ topic, partition });
const t0 = tp('t', 0);
const t1 = tp('t', 1);
const t2 = tp('t', 2);
const member = { memberId: 'm2', groupInstanceId: null, metadata: Buffer.alloc(0) };

const joined = (memberId = 'm1', generationId = 5): MembershipEvent => ({
  type: 'joined',
  memberId,
  generationId,
  leader: 'm0',
  protocolName: 'range',
  members: [member],
});

const run = (start: MembershipState, ...events: MembershipEvent[]): MembershipState =>
  events.reduce(membershipReducer, start);

const joining = (options = {}) => run(initialMembership(options), { type: 'subscribe' });
const syncing = (options = {}) => run(joining(options), joined());
const stable = (options = {}, assignment = [t1, t0]) => run(syncing(options), { type: 'synced', assignment });

function expectStep(
  from: MembershipState,
  event: MembershipEvent,
  changes: Partial<MembershipState>,
): MembershipState {
  const next = membershipReducer(from, event);
  expect(next).toEqual({ ...from, ...changes });
  return next;
}

function expectIgnored(from: MembershipState, event: MembershipEvent): void {
  expect(membershipReducer(from, event)).toBe(from);
}

describe('membershipReducer, transition by transition', () => {
  it('starts unjoined with no member id, generation -1, nothing to leave, and leads nothing', () => {
    const state = initialMembership();
    expect(state).toEqual({
      phase: 'unjoined',
      memberId: '',
      groupInstanceId: null,
      generationId: -1,
      leader: '',
      protocolName: null,
      members: [],
      assignment: [],
      cooperative: false,
      seq: 0,
      attempt: 0,
      reason: 'not subscribed',
      giveUp: null,
      leaveGroup: false,
      error: null,
    });
    expect(isLeader(state)).toBe(false);
    expect(isLeader({ ...state, memberId: 'm1', leader: 'm0' })).toBe(false);
    expect(isLeader({ ...state, memberId: 'm1', leader: 'm1' })).toBe(true);
    expect(initialMembership({ groupInstanceId: 'i1', cooperative: true })).toMatchObject({
      groupInstanceId: 'i1',
      cooperative: true,
    });
  });

  it('subscribe joins from unjoined only', () => {
    expectStep(
      initialMembership(),
      { type: 'subscribe' },
      { phase: 'joining', seq: 1, reason: 'subscribed' },
    );
    expectIgnored(joining(), { type: 'subscribe' });
    expectIgnored(stable(), { type: 'subscribe' });
  });

  it('a closed membership ignores every event', () => {
    const closed = run(joining(), { type: 'close' });
    expect(closed.phase).toBe('closed');
    for (const event of [
      { type: 'subscribe' },
      { type: 'poll-resumed' },
      { type: 'close' },
      joined(),
      { type: 'fatal', error: new ConnectionError('gone') },
    ] as MembershipEvent[]) {
      expectIgnored(closed, event);
    }
  });

  it('joined moves joining to syncing with the generation, leader and members; other phases ignore it', () => {
    expectStep(joining(), joined('m1', 7), {
      phase: 'syncing',
      seq: 2,
      memberId: 'm1',
      generationId: 7,
      leader: 'm0',
      protocolName: 'range',
      members: [member],
      reason: 'joined generation 7',
    });
    expectIgnored(syncing(), joined('m1', 8));
    expectIgnored(stable(), joined('m1', 8));
  });

  it('synced moves syncing to stable with the sorted assignment and forgets the members; other phases ignore it', () => {
    const from = { ...syncing(), attempt: 2 };
    expectStep(
      from,
      { type: 'synced', assignment: [t1, t0] },
      {
        phase: 'stable',
        seq: 3,
        attempt: 0,
        assignment: [t0, t1],
        members: [],
        reason: 'synced generation 5',
      },
    );
    expectIgnored(joining(), { type: 'synced', assignment: [t0] });
    expectIgnored(stable(), { type: 'synced', assignment: [t0] });
  });

  it('a cooperative member keeping all it owned goes stable; one losing partitions gives up only those', () => {
    const owning = { ...syncing({ cooperative: true }), assignment: [t0, t1] };
    expectStep(
      owning,
      { type: 'synced', assignment: [t1, t2, t0] },
      { phase: 'stable', seq: 3, assignment: [t0, t1, t2], members: [], reason: 'synced generation 5' },
    );
    expectStep(
      owning,
      { type: 'synced', assignment: [t2] },
      {
        phase: 'rebalancing',
        seq: 3,
        attempt: 0,
        reason: 'partitions moved to other members',
        giveUp: { commit: [t0, t1], revoke: [t0, t1], lost: false, trigger: 'revoke', then: 'rejoin' },
        assignment: [t0, t1, t2],
        members: [],
      },
    );
  });

  describe('join-failed (only while joining)', () => {
    it('MEMBER_ID_REQUIRED joins again at once with the given member id (KIP-394)', () => {
      const from = { ...joining(), attempt: 3 };
      const event = (memberId?: string): MembershipEvent => ({
        type: 'join-failed',
        errorCode: ErrorCode.MEMBER_ID_REQUIRED,
        memberId,
      });
      expectStep(from, event('m9'), { seq: 2, attempt: 0, memberId: 'm9', reason: 'member id assigned' });
      expectStep(from, event(), { seq: 2, attempt: 0, memberId: '', reason: 'member id assigned' });
    });

    it.each([
      ['UNKNOWN_MEMBER_ID', ErrorCode.UNKNOWN_MEMBER_ID],
      ['ILLEGAL_GENERATION', ErrorCode.ILLEGAL_GENERATION],
    ])('%s retries as a new member with backoff', (name, errorCode) => {
      const from = { ...joining(), memberId: 'm1', generationId: 4, attempt: 1 };
      expectStep(
        from,
        { type: 'join-failed', errorCode },
        { seq: 2, attempt: 2, memberId: '', generationId: -1, reason: name },
      );
    });

    it.each([
      ['NOT_COORDINATOR', ErrorCode.NOT_COORDINATOR],
      ['COORDINATOR_NOT_AVAILABLE', ErrorCode.COORDINATOR_NOT_AVAILABLE],
      ['COORDINATOR_LOAD_IN_PROGRESS', ErrorCode.COORDINATOR_LOAD_IN_PROGRESS],
      ['REBALANCE_IN_PROGRESS', ErrorCode.REBALANCE_IN_PROGRESS],
      ['REQUEST_TIMED_OUT', ErrorCode.REQUEST_TIMED_OUT],
    ])('%s retries with backoff, keeping the member id', (name, errorCode) => {
      const from = { ...joining(), memberId: 'm1', attempt: 1 };
      expectStep(from, { type: 'join-failed', errorCode }, { seq: 2, attempt: 2, reason: name });
    });

    it('FENCED_INSTANCE_ID closes with the fenced error', () => {
      const from = joining({ groupInstanceId: 'i1' });
      expectStep(
        from,
        { type: 'join-failed', errorCode: ErrorCode.FENCED_INSTANCE_ID },
        { phase: 'closed', seq: 2, reason: 'fenced', error: fencedInstanceError('i1') },
      );
    });

    it('any other error closes with a JoinGroup error named after the code', () => {
      const code = ErrorCode.GROUP_AUTHORIZATION_FAILED;
      expectStep(
        joining(),
        { type: 'join-failed', errorCode: code },
        {
          phase: 'closed',
          seq: 2,
          reason: 'GROUP_AUTHORIZATION_FAILED',
          error: fatalGroupError('JoinGroup', code),
        },
      );
      expectStep(
        joining(),
        { type: 'join-failed', errorCode: 9999 },
        { phase: 'closed', seq: 2, reason: 'error 9999', error: fatalGroupError('JoinGroup', 9999) },
      );
    });

    it('is ignored outside joining', () => {
      expectIgnored(syncing(), { type: 'join-failed', errorCode: ErrorCode.UNKNOWN_MEMBER_ID });
      expectIgnored(stable(), {
        type: 'join-failed',
        errorCode: ErrorCode.MEMBER_ID_REQUIRED,
        memberId: 'x',
      });
    });
  });

  describe('sync-failed (only while syncing)', () => {
    it('REBALANCE_IN_PROGRESS joins again at once, keeping the member id', () => {
      const from = { ...syncing(), attempt: 2 };
      expectStep(
        from,
        { type: 'sync-failed', errorCode: ErrorCode.REBALANCE_IN_PROGRESS },
        { phase: 'joining', seq: 3, attempt: 0, members: [], reason: 'REBALANCE_IN_PROGRESS' },
      );
    });

    it.each([
      ['UNKNOWN_MEMBER_ID', ErrorCode.UNKNOWN_MEMBER_ID],
      ['ILLEGAL_GENERATION', ErrorCode.ILLEGAL_GENERATION],
    ])('%s rejoins as a new member with backoff', (name, errorCode) => {
      expectStep(
        syncing(),
        { type: 'sync-failed', errorCode },
        { phase: 'joining', seq: 3, attempt: 1, members: [], memberId: '', generationId: -1, reason: name },
      );
    });

    it('a coordinator error rejoins with backoff, keeping the member id', () => {
      expectStep(
        syncing(),
        { type: 'sync-failed', errorCode: ErrorCode.NOT_COORDINATOR },
        { phase: 'joining', seq: 3, attempt: 1, members: [], reason: 'NOT_COORDINATOR' },
      );
    });

    it('FENCED_INSTANCE_ID closes; another error closes with a SyncGroup error', () => {
      expectStep(
        syncing({ groupInstanceId: 'i1' }),
        { type: 'sync-failed', errorCode: ErrorCode.FENCED_INSTANCE_ID },
        { phase: 'closed', seq: 3, reason: 'fenced', error: fencedInstanceError('i1') },
      );
      const code = ErrorCode.INCONSISTENT_GROUP_PROTOCOL;
      expectStep(
        syncing(),
        { type: 'sync-failed', errorCode: code },
        {
          phase: 'closed',
          seq: 3,
          reason: 'INCONSISTENT_GROUP_PROTOCOL',
          error: fatalGroupError('SyncGroup', code),
        },
      );
    });

    it('is ignored outside syncing', () => {
      expectIgnored(joining(), { type: 'sync-failed', errorCode: ErrorCode.REBALANCE_IN_PROGRESS });
      expectIgnored(stable(), { type: 'sync-failed', errorCode: ErrorCode.UNKNOWN_MEMBER_ID });
    });
  });

  describe('heartbeat-failed (only while stable)', () => {
    it('REBALANCE_IN_PROGRESS commits and gives up everything (eager) before rejoining', () => {
      expectStep(
        stable(),
        { type: 'heartbeat-failed', errorCode: ErrorCode.REBALANCE_IN_PROGRESS },
        {
          phase: 'rebalancing',
          seq: 4,
          reason: 'the group is rebalancing',
          giveUp: { commit: [t0, t1], revoke: [t0, t1], lost: false, trigger: 'revoke', then: 'rejoin' },
        },
      );
    });

    it.each([
      ['ILLEGAL_GENERATION', ErrorCode.ILLEGAL_GENERATION],
      ['UNKNOWN_MEMBER_ID', ErrorCode.UNKNOWN_MEMBER_ID],
    ])('%s loses the partitions uncommitted and joins as a new member', (name, errorCode) => {
      expectStep(
        stable(),
        { type: 'heartbeat-failed', errorCode },
        {
          phase: 'rebalancing',
          seq: 4,
          reason: name,
          memberId: '',
          generationId: -1,
          giveUp: { commit: [], revoke: [t0, t1], lost: true, trigger: 'revoke', then: 'rejoin' },
        },
      );
    });

    it('FENCED_INSTANCE_ID loses the partitions and closes with the fenced error', () => {
      expectStep(
        stable({ groupInstanceId: 'i1' }),
        { type: 'heartbeat-failed', errorCode: ErrorCode.FENCED_INSTANCE_ID },
        {
          phase: 'rebalancing',
          seq: 4,
          reason: 'fenced',
          error: fencedInstanceError('i1'),
          giveUp: { commit: [], revoke: [t0, t1], lost: true, trigger: 'close', then: 'close' },
        },
      );
    });

    it('is ignored outside stable, and for coordinator errors', () => {
      expectIgnored(stable(), { type: 'heartbeat-failed', errorCode: ErrorCode.NOT_COORDINATOR });
      expectIgnored(syncing(), { type: 'heartbeat-failed', errorCode: ErrorCode.REBALANCE_IN_PROGRESS });
      expectIgnored(joining(), { type: 'heartbeat-failed', errorCode: ErrorCode.ILLEGAL_GENERATION });
    });
  });

  describe('request-failed', () => {
    it('retries the join or the sync with backoff; stable ignores it', () => {
      const error = new ConnectionError('connection reset');
      expectStep(
        joining(),
        { type: 'request-failed', error },
        { seq: 2, attempt: 1, reason: 'connection reset' },
      );
      expectStep(
        syncing(),
        { type: 'request-failed', error },
        { phase: 'joining', seq: 3, attempt: 1, members: [], reason: 'connection reset' },
      );
      expectIgnored(stable(), { type: 'request-failed', error });
    });

    it('a configuration failure (not retriable, e.g. credentials refused) closes in any phase', () => {
      const error = new AuthenticationError('SASL authentication failed');
      expect(error.retriable).toBe(false);
      expectStep(
        joining(),
        { type: 'request-failed', error },
        { phase: 'closed', seq: 2, reason: 'SASL authentication failed', error },
      );
      expectStep(
        stable(),
        { type: 'request-failed', error },
        {
          phase: 'rebalancing',
          seq: 4,
          reason: 'SASL authentication failed',
          error,
          giveUp: { commit: [], revoke: [t0, t1], lost: true, trigger: 'close', then: 'close' },
        },
      );
    });

    it('a retriable error named like a configuration failure, or another error that is not, is retried', () => {
      const flaky = Object.assign(new ConnectionError('flaky'), { name: 'AuthenticationError' });
      expect(flaky.retriable).toBe(true);
      expectStep(
        joining(),
        { type: 'request-failed', error: flaky },
        { seq: 2, attempt: 1, reason: 'flaky' },
      );
      const odd = new KafkaRxError('ConsumerError', 'odd', { retriable: false });
      expectStep(joining(), { type: 'request-failed', error: odd }, { seq: 2, attempt: 1, reason: 'odd' });
    });
  });

  it('rejoin rebalances a stable member with the given reason; other phases ignore it', () => {
    expectStep(
      stable({ cooperative: true }),
      { type: 'rejoin', reason: 'topic t2 appeared' },
      {
        phase: 'rebalancing',
        seq: 4,
        reason: 'topic t2 appeared',
        giveUp: { commit: [t0, t1], revoke: [], lost: false, trigger: 'revoke', then: 'rejoin' },
      },
    );
    expectIgnored(joining(), { type: 'rejoin', reason: 'x' });
    expectIgnored(syncing(), { type: 'rejoin', reason: 'x' });
  });

  it('fatal loses the partitions and closes; with nothing assigned it closes at once', () => {
    const error = new ConnectionError('boom');
    expectStep(
      stable(),
      { type: 'fatal', error },
      {
        phase: 'rebalancing',
        seq: 4,
        reason: 'boom',
        error,
        giveUp: { commit: [], revoke: [t0, t1], lost: true, trigger: 'close', then: 'close' },
      },
    );
    // A fatal close never sends LeaveGroup, even for a dynamic member with an id.
    expectStep(syncing(), { type: 'fatal', error }, { phase: 'closed', seq: 3, reason: 'boom', error });
  });

  describe('poll-timeout and poll-resumed', () => {
    it('poll-timeout commits, gives up and then leaves; only a stable member', () => {
      expectStep(
        stable(),
        { type: 'poll-timeout' },
        {
          phase: 'rebalancing',
          seq: 4,
          reason: 'maxPollIntervalMs exceeded',
          giveUp: { commit: [t0, t1], revoke: [t0, t1], lost: false, trigger: 'revoke', then: 'leave' },
        },
      );
      expectIgnored(syncing(), { type: 'poll-timeout' });
      expectIgnored(joining(), { type: 'poll-timeout' });
    });

    it('after leaving, a dynamic member rejoins as a new member and a static one keeps its id', () => {
      const left = run(stable(), { type: 'poll-timeout' }, { type: 'given-up' });
      expect(left).toMatchObject({ phase: 'unjoined', leaveGroup: true, memberId: 'm1' });
      expectStep(
        { ...left, members: [member] },
        { type: 'poll-resumed' },
        {
          phase: 'joining',
          seq: 6,
          memberId: '',
          leaveGroup: false,
          members: [],
          reason: 'the application takes records again',
        },
      );
      const leftStatic = run(
        stable({ groupInstanceId: 'i1' }),
        { type: 'poll-timeout' },
        { type: 'given-up' },
      );
      expectStep(
        leftStatic,
        { type: 'poll-resumed' },
        { phase: 'joining', seq: 6, memberId: 'm1', reason: 'the application takes records again' },
      );
    });

    it('poll-resumed is ignored while joined or before the first subscription', () => {
      expectIgnored(initialMembership(), { type: 'poll-resumed' });
      expectIgnored(stable(), { type: 'poll-resumed' });
      expectIgnored(joining(), { type: 'poll-resumed' });
    });
  });

  describe('close', () => {
    it('a stable member commits and gives up its partitions first', () => {
      expectStep(
        stable(),
        { type: 'close' },
        {
          phase: 'rebalancing',
          seq: 4,
          reason: 'closing',
          giveUp: { commit: [t0, t1], revoke: [t0, t1], lost: false, trigger: 'close', then: 'close' },
        },
      );
    });

    it('a syncing member gives up what it still owns (cooperative), or closes at once when it owns nothing', () => {
      const owning = { ...syncing({ cooperative: true }), assignment: [t0] };
      expectStep(
        owning,
        { type: 'close' },
        {
          phase: 'rebalancing',
          seq: 3,
          reason: 'closing',
          giveUp: { commit: [t0], revoke: [t0], lost: false, trigger: 'close', then: 'close' },
        },
      );
      expectStep(
        syncing(),
        { type: 'close' },
        { phase: 'closed', seq: 3, reason: 'closed', leaveGroup: true },
      );
    });

    it('during a rebalance, finishes giving up and then closes', () => {
      const rebalancing = run(stable(), {
        type: 'heartbeat-failed',
        errorCode: ErrorCode.REBALANCE_IN_PROGRESS,
      });
      expectStep(rebalancing, { type: 'close' }, { giveUp: { ...rebalancing.giveUp!, then: 'close' } });
    });

    it('sends LeaveGroup only for a dynamic member that has an id and is in the group', () => {
      const leaves = (from: MembershipState) => membershipReducer(from, { type: 'close' }).leaveGroup;
      expect(leaves(joining())).toBe(false);
      expect(leaves({ ...joining(), memberId: 'm1' })).toBe(true);
      expect(leaves({ ...joining({ groupInstanceId: 'i1' }), memberId: 'm1' })).toBe(false);
      expect(leaves({ ...initialMembership(), memberId: 'm1' })).toBe(false);
      expectStep(
        { ...joining(), memberId: 'm1' },
        { type: 'close' },
        { phase: 'closed', seq: 2, reason: 'closed', leaveGroup: true, giveUp: null },
      );
    });
  });

  describe('given-up (only while rebalancing with a plan)', () => {
    it('rejoin: keeps what was not revoked and joins with the same reason', () => {
      const from = run(stable({ cooperative: true }), { type: 'rejoin', reason: 'topic added' });
      expectStep(
        from,
        { type: 'given-up' },
        {
          phase: 'joining',
          seq: 5,
          attempt: 0,
          giveUp: null,
          members: [],
          assignment: [t0, t1],
          reason: 'topic added',
        },
      );
      const eager = run(stable(), { type: 'rejoin', reason: 'topic added' });
      expect(membershipReducer(eager, { type: 'given-up' }).assignment).toEqual([]);
    });

    it('leave: unjoined without the revoked partitions, generation -1, LeaveGroup for a dynamic member', () => {
      const from = run(stable(), { type: 'poll-timeout' });
      expectStep(
        from,
        { type: 'given-up' },
        { phase: 'unjoined', seq: 5, assignment: [], giveUp: null, generationId: -1, leaveGroup: true },
      );
      const fromStatic = run(stable({ groupInstanceId: 'i1' }), { type: 'poll-timeout' });
      expect(membershipReducer(fromStatic, { type: 'given-up' }).leaveGroup).toBe(false);
      const noId = { ...from, memberId: '' };
      expect(membershipReducer(noId, { type: 'given-up' }).leaveGroup).toBe(false);
    });

    it('close: closed without the revoked partitions, with the error as the reason when there is one', () => {
      const closing = run(stable(), { type: 'close' });
      expectStep(
        closing,
        { type: 'given-up' },
        { phase: 'closed', seq: 5, assignment: [], giveUp: null, reason: 'closed', leaveGroup: true },
      );
      const error = new ConnectionError('boom');
      const failing = run(stable(), { type: 'fatal', error });
      expectStep(
        failing,
        { type: 'given-up' },
        { phase: 'closed', seq: 5, assignment: [], giveUp: null, reason: 'boom', leaveGroup: false },
      );
    });

    it('is ignored outside rebalancing, and in rebalancing without a plan', () => {
      expectIgnored(stable(), { type: 'given-up' });
      expectIgnored(joining(), { type: 'given-up' });
      const phase: MembershipPhase = 'rebalancing';
      expectIgnored({ ...stable(), phase, giveUp: null }, { type: 'given-up' });
    });
  });
});
