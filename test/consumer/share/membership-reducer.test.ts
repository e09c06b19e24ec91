import { ErrorCode } from '../../../src/protocol/errors';
import {
  initialShareMembership,
  type ShareMembership,
  type ShareMembershipEvent,
} from '../../../src/consumer/share/membership';
import { shareMembershipReducer } from '../../../src/consumer/share/membership-reducer';

const tp = (partition: number) => ({ topic: 't', partition });
/** A ShareGroupHeartbeat answer to the heartbeat sent at `sentEpoch`, with a 1 s heartbeat interval. */
const answered = (
  sentEpoch: number,
  memberEpoch: number,
  assignment: ReturnType<typeof tp>[] | null,
): ShareMembershipEvent => ({
  type: 'heartbeat-answered',
  sentEpoch,
  memberEpoch,
  heartbeatIntervalMs: 1000,
  assignment,
});
const joined = (): ShareMembership =>
  shareMembershipReducer(
    shareMembershipReducer(initialShareMembership('m'), { type: 'subscribe' }),
    answered(0, 3, [tp(1), tp(0)]),
  );

describe('shareMembershipReducer', () => {
  it('joins with epoch 0 and becomes stable with the assignment the coordinator gave, sorted', () => {
    const s = joined();
    expect([s.phase, s.memberEpoch, s.heartbeatIntervalMs, s.assignment]).toEqual([
      'stable',
      3,
      1000,
      [tp(0), tp(1)],
    ]);
  });

  it('keeps the assignment when a heartbeat brings none, and takes a new one at once', () => {
    const kept = shareMembershipReducer(joined(), answered(3, 3, null));
    expect(kept.assignment).toEqual([tp(0), tp(1)]);
    const moved = shareMembershipReducer(kept, answered(3, 4, [tp(2)]));
    expect([moved.phase, moved.memberEpoch, moved.assignment]).toEqual(['stable', 4, [tp(2)]]);
  });

  it('joins again with epoch 0 and no partitions when fenced', () => {
    const s = shareMembershipReducer(joined(), {
      type: 'heartbeat-failed',
      errorCode: ErrorCode.FENCED_MEMBER_EPOCH,
      errorMessage: null,
    });
    expect([s.phase, s.memberEpoch, s.assignment]).toEqual(['joining', 0, []]);
  });

  it('ignores a heartbeat of the membership before while joining', () => {
    const fenced = shareMembershipReducer(joined(), {
      type: 'heartbeat-failed',
      errorCode: ErrorCode.UNKNOWN_MEMBER_ID,
      errorMessage: null,
    });
    const late = shareMembershipReducer(fenced, answered(3, 3, [tp(0)]));
    expect(late).toBe(fenced);
  });

  it('closes with an error naming the broker refusal for a fatal error, without leaving', () => {
    const s = shareMembershipReducer(joined(), {
      type: 'heartbeat-failed',
      errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED,
      errorMessage: 'denied',
    });
    expect([s.phase, s.leaveGroup, s.error?.message]).toEqual([
      'closed',
      false,
      'ShareGroupHeartbeat failed: GROUP_AUTHORIZATION_FAILED: denied',
    ]);
  });

  it('leaves on close only when the coordinator knows the member', () => {
    expect(shareMembershipReducer(joined(), { type: 'close' }).leaveGroup).toBe(true);
    const unjoined = shareMembershipReducer(initialShareMembership('m'), { type: 'close' });
    expect([unjoined.phase, unjoined.leaveGroup]).toEqual(['closed', false]);
  });
});
