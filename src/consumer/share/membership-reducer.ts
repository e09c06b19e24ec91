import { protocolError } from '../../protocol/errors';
import { isConfigurationFailure } from '../membership/reducer';
import { GroupMembershipError } from '../errors';
import { sortPartitions } from '../topic-partition';
import { ShareMemberEpoch, type ShareMembership, type ShareMembershipEvent } from './membership';
import { fencedHeartbeatErrors, retriableHeartbeatErrors } from '../group/heartbeat-errors';

function join(s: ShareMembership, reason: string, attempt: number): ShareMembership {
  return {
    ...s,
    phase: 'joining',
    seq: s.seq + 1,
    memberEpoch: ShareMemberEpoch.JOIN,
    assignment: [],
    attempt,
    reason,
  };
}

function close(s: ShareMembership, reason: string, error: ShareMembership['error']): ShareMembership {
  return {
    ...s,
    phase: 'closed',
    seq: s.seq + 1,
    reason,
    error,
    // Only a member the coordinator gave an epoch leaves; after a fatal error there is nothing to leave.
    leaveGroup: error === null && s.memberEpoch > 0,
  };
}

/**
 * A share group membership as a pure function: (state, event) -> state. Joining, heartbeating,
 * taking the assignment and leaving are all one request, ShareGroupHeartbeat; its effects are
 * derived from the states by the share consumer.
 */
export function shareMembershipReducer(s: ShareMembership, e: ShareMembershipEvent): ShareMembership {
  if (s.phase === 'closed') return s;
  switch (e.type) {
    case 'subscribe':
      return s.phase === 'unjoined' ? join(s, 'subscribed', 0) : s;
    case 'close':
      return close(s, 'closed', null);
    case 'fatal':
      return close(s, e.error.message, e.error);
    case 'heartbeat-answered': {
      if (s.phase === 'unjoined') return s;
      // A heartbeat of the membership before (still in flight) does not answer the join.
      if (s.phase === 'joining' && e.sentEpoch !== ShareMemberEpoch.JOIN) return s;
      const interval = e.heartbeatIntervalMs > 0 ? e.heartbeatIntervalMs : s.heartbeatIntervalMs;
      const assignment = e.assignment === null ? s.assignment : sortPartitions(e.assignment);
      const restart = s.phase === 'joining' || interval !== s.heartbeatIntervalMs;
      return {
        ...s,
        phase: 'stable',
        seq: restart ? s.seq + 1 : s.seq,
        memberEpoch: e.memberEpoch,
        heartbeatIntervalMs: interval,
        assignment,
        attempt: 0,
        reason: s.phase === 'joining' ? `joined with member epoch ${e.memberEpoch}` : s.reason,
      };
    }
    case 'heartbeat-failed': {
      const name = protocolError(e.errorCode)?.name ?? `error ${e.errorCode}`;
      if (fencedHeartbeatErrors.has(e.errorCode))
        return join(s, name, s.phase === 'joining' ? s.attempt + 1 : 0);
      if (retriableHeartbeatErrors.has(e.errorCode))
        return s.phase === 'joining' ? join(s, name, s.attempt + 1) : s;
      const details = [name, e.errorMessage].filter((x): x is string => !!x).join(': ');
      return close(
        s,
        name,
        new GroupMembershipError(
          `ShareGroupHeartbeat failed: ${details}`,
          e.errorCode,
          protocolError(e.errorCode),
        ),
      );
    }
    case 'request-failed':
      if (isConfigurationFailure(e.error)) return close(s, e.error.message, e.error);
      return s.phase === 'joining' ? join(s, e.error.message, s.attempt + 1) : s;
  }
}
