import { ErrorCode } from '../../../src/protocol/errors';
import type { ConsumerGroupEvent } from '../../../src/consumer/consumer-group/events';
import { consumerGroupReducer } from '../../../src/consumer/consumer-group/reducer';
import { initialConsumerGroup, type ConsumerGroupState } from '../../../src/consumer/consumer-group/state';
import { KafkaRxError } from '../../../src/errors';
import type { TopicPartition } from '../../../src/consumer/types';

const tp = (topic: string, partition: number): TopicPartition => ({ topic, partition });
const answered = (
  memberEpoch: number,
  assignment: TopicPartition[] | null,
  heartbeatIntervalMs = 5000,
  sentEpoch = 0,
): ConsumerGroupEvent => ({
  type: 'heartbeat-answered',
  sentEpoch,
  memberId: null,
  memberEpoch,
  heartbeatIntervalMs,
  assignment,
});
const failed = (errorCode: number, errorMessage: string | null = null): ConsumerGroupEvent => ({
  type: 'heartbeat-failed',
  errorCode,
  errorMessage,
});

function run(
  events: ConsumerGroupEvent[],
  start = initialConsumerGroup({ memberId: 'm-uuid' }),
): ConsumerGroupState {
  return events.reduce(consumerGroupReducer, start);
}

function stable(
  assignment = [tp('t', 0), tp('t', 1)],
  groupInstanceId: string | null = null,
): ConsumerGroupState {
  return run(
    [{ type: 'subscribe' }, answered(1, assignment)],
    initialConsumerGroup({ memberId: 'm-uuid', groupInstanceId }),
  );
}

describe('consumerGroupReducer', () => {
  it('joins with member epoch 0 and takes the assignment of the first answer, acknowledging it at once', () => {
    const joining = run([{ type: 'subscribe' }]);
    expect(joining.phase).toBe('joining');
    expect(joining.generationId).toBe(0);
    expect(joining.memberId).toBe('m-uuid');
    const joined = consumerGroupReducer(joining, answered(3, [tp('t', 1), tp('t', 0)], 2500));
    expect(joined).toMatchObject({
      phase: 'stable',
      generationId: 3,
      heartbeatIntervalMs: 2500,
      assignment: [tp('t', 0), tp('t', 1)],
      acknowledge: true,
    });
    expect(joined.seq).toBeGreaterThan(joining.seq);
  });

  it('takes the member id the coordinator gives (v0) and keeps its own otherwise', () => {
    const given = consumerGroupReducer(run([{ type: 'subscribe' }]), {
      ...answered(1, []),
      memberId: 'broker-id',
    } as ConsumerGroupEvent);
    expect(given.memberId).toBe('broker-id');
    expect(stable().memberId).toBe('m-uuid');
  });

  it("does not take the answer to an earlier membership's heartbeat for the answer to its join", () => {
    const joining = run([{ type: 'subscribe' }]);
    expect(consumerGroupReducer(joining, answered(7, [tp('t', 0)], 5000, 7))).toBe(joining);
  });

  it('keeps state (and so the heartbeat timer) when an answer changes nothing, and clears the acknowledgement', () => {
    const s = stable();
    const next = consumerGroupReducer(s, answered(1, null));
    expect(next.seq).toBe(s.seq);
    expect(next.acknowledge).toBe(false);
    expect(next.assignment).toEqual(s.assignment);
  });

  it('restarts the heartbeat timer when the coordinator changes the interval', () => {
    const s = stable();
    expect(consumerGroupReducer(s, answered(1, null, 1000)).seq).toBe(s.seq + 1);
  });

  it('takes added partitions at once, in stable, and acknowledges them', () => {
    const s = consumerGroupReducer(stable([tp('t', 0)]), answered(1, null));
    const next = consumerGroupReducer(s, answered(2, [tp('t', 0), tp('t', 2)]));
    expect(next).toMatchObject({ phase: 'stable', generationId: 2, acknowledge: true });
    expect(next.assignment).toEqual([tp('t', 0), tp('t', 2)]);
    expect(next.seq).toBe(s.seq + 1);
  });

  it('gives up what is no longer assigned (commit, then revoke), then takes the target and acknowledges', () => {
    const s = stable([tp('t', 0), tp('t', 1)]);
    const reconciling = consumerGroupReducer(s, answered(1, [tp('t', 0)]));
    expect(reconciling.phase).toBe('rebalancing');
    expect(reconciling.giveUp).toEqual({
      commit: [tp('t', 1)],
      revoke: [tp('t', 1)],
      lost: false,
      trigger: 'revoke',
      then: 'reconcile',
    });
    const done = consumerGroupReducer(reconciling, { type: 'given-up' });
    expect(done).toMatchObject({ phase: 'stable', acknowledge: true, target: null, giveUp: null });
    expect(done.assignment).toEqual([tp('t', 0)]);
  });

  it('reconciles against the newest target when one arrives while partitions are given up', () => {
    const reconciling = consumerGroupReducer(stable([tp('t', 0), tp('t', 1)]), answered(1, [tp('t', 0)]));
    const newer = consumerGroupReducer(reconciling, answered(2, [tp('t', 0), tp('u', 0)]));
    expect(newer.phase).toBe('rebalancing');
    expect(newer.generationId).toBe(2);
    const done = consumerGroupReducer(newer, { type: 'given-up' });
    expect(done.phase).toBe('stable');
    expect(done.assignment).toEqual([tp('t', 0), tp('u', 0)]);
  });

  it.each([
    ['FENCED_MEMBER_EPOCH', ErrorCode.FENCED_MEMBER_EPOCH],
    ['UNKNOWN_MEMBER_ID', ErrorCode.UNKNOWN_MEMBER_ID],
  ])('on %s loses its partitions (no commit) and rejoins with epoch 0 and the same member id', (_, code) => {
    const lost = consumerGroupReducer(stable(), failed(code));
    expect(lost.phase).toBe('rebalancing');
    expect(lost.giveUp).toMatchObject({
      commit: [],
      revoke: [tp('t', 0), tp('t', 1)],
      lost: true,
      then: 'rejoin',
    });
    const rejoining = consumerGroupReducer(lost, { type: 'given-up' });
    expect(rejoining).toMatchObject({
      phase: 'joining',
      generationId: 0,
      memberId: 'm-uuid',
      assignment: [],
    });
  });

  it('a fence while closing does not turn the close into a rejoin; while reconciling it loses everything', () => {
    const closing = consumerGroupReducer(stable(), { type: 'close' });
    expect(consumerGroupReducer(closing, failed(ErrorCode.FENCED_MEMBER_EPOCH))).toBe(closing);
    const reconciling = consumerGroupReducer(stable(), answered(1, [tp('t', 0)]));
    expect(consumerGroupReducer(reconciling, failed(ErrorCode.FENCED_MEMBER_EPOCH)).giveUp).toMatchObject({
      lost: true,
      revoke: [tp('t', 0), tp('t', 1)],
      then: 'rejoin',
    });
  });

  it.each([
    ['UNRELEASED_INSTANCE_ID', ErrorCode.UNRELEASED_INSTANCE_ID, /groupInstanceId/],
    ['GROUP_MAX_SIZE_REACHED', ErrorCode.GROUP_MAX_SIZE_REACHED, /group\.consumer\.max\.size/],
    ['UNSUPPORTED_ASSIGNOR', ErrorCode.UNSUPPORTED_ASSIGNOR, /uniform/],
  ])('closes with a clear error on %s while joining', (name, code, advice) => {
    const closed = consumerGroupReducer(run([{ type: 'subscribe' }]), failed(code, 'from the broker'));
    expect(closed.phase).toBe('closed');
    expect(closed.leaveGroup).toBe(false);
    expect(closed.error?.name).toBe('GroupMembershipError');
    expect(closed.error?.code).toBe(code);
    expect(closed.error?.message).toContain(name);
    expect(closed.error?.message).toContain('from the broker');
    expect(closed.error?.message).toMatch(advice);
  });

  it('retries the join with backoff on coordinator errors, and keeps heartbeating on them when stable', () => {
    const joining = run([{ type: 'subscribe' }]);
    const retry = consumerGroupReducer(joining, failed(ErrorCode.COORDINATOR_NOT_AVAILABLE));
    expect(retry).toMatchObject({ phase: 'joining', attempt: 1 });
    expect(retry.seq).toBe(joining.seq + 1);
    const s = stable();
    expect(consumerGroupReducer(s, failed(ErrorCode.NOT_COORDINATOR))).toBe(s);
  });

  it('retries a join whose request got no answer, and fails on a configuration failure', () => {
    const joining = run([{ type: 'subscribe' }]);
    const lost = new KafkaRxError('ConnectionError', 'refused', { retriable: true });
    expect(consumerGroupReducer(joining, { type: 'request-failed', error: lost })).toMatchObject({
      phase: 'joining',
      attempt: 1,
    });
    const unsupported = new KafkaRxError('UnsupportedVersionError', 'no v1', { code: 35 });
    expect(consumerGroupReducer(joining, { type: 'request-failed', error: unsupported }).phase).toBe(
      'closed',
    );
  });

  it('closes by committing and revoking, then leaves (epoch -1 chosen by the effects)', () => {
    const closing = consumerGroupReducer(stable(), { type: 'close' });
    expect(closing.giveUp).toMatchObject({
      commit: [tp('t', 0), tp('t', 1)],
      lost: false,
      trigger: 'close',
      then: 'close',
    });
    const closed = consumerGroupReducer(closing, { type: 'given-up' });
    expect(closed).toMatchObject({ phase: 'closed', leaveGroup: true, assignment: [] });
  });

  it('a static member leaves on close too (with epoch -2)', () => {
    const closed = run([{ type: 'close' }, { type: 'given-up' }], stable([tp('t', 0)], 'instance-1'));
    expect(closed).toMatchObject({ phase: 'closed', leaveGroup: true, groupInstanceId: 'instance-1' });
  });

  it('does not leave when it never joined', () => {
    expect(run([{ type: 'subscribe' }, { type: 'close' }])).toMatchObject({
      phase: 'closed',
      leaveGroup: false,
    });
  });

  it('on close during a reconciliation, gives up what it is giving up and then closes', () => {
    const reconciling = consumerGroupReducer(stable(), answered(1, [tp('t', 0)]));
    const closing = consumerGroupReducer(reconciling, { type: 'close' });
    expect(closing.giveUp?.then).toBe('close');
  });

  it('leaves after a poll timeout and joins again with epoch 0 when the application takes records', () => {
    const left = run([{ type: 'poll-timeout' }, { type: 'given-up' }], stable());
    expect(left).toMatchObject({ phase: 'unjoined', leaveGroup: true, assignment: [] });
    expect(consumerGroupReducer(left, { type: 'poll-resumed' })).toMatchObject({
      phase: 'joining',
      generationId: 0,
    });
  });

  it('ignores the classic rejoin event (the coordinator watches subscriptions)', () => {
    const s = stable();
    expect(consumerGroupReducer(s, { type: 'rejoin', reason: 'pattern' })).toBe(s);
  });
});
