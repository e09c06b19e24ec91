import type { KafkaRxError } from '../../errors';
import { ErrorCode, errorCodeEntry } from '../../protocol/errors';
import { fatalGroupError, fencedInstanceError } from '../errors';
import { subtractPartitions, unionPartitions } from '../topic-partition';
import type { MembershipEvent } from './events';
import { enterClosed, enterJoining } from './enter-phase';
import { closeWhenGivenUp, giveUp, giveUpAll, givenUp, leave, loseAndClose, pollTimedOut } from './give-up';
import type { MembershipState } from './state';

/** Errors on which JoinGroup or SyncGroup is simply retried after a backoff. */
const retriableGroupErrors: ReadonlySet<number> = new Set([
  ErrorCode.NOT_COORDINATOR,
  ErrorCode.COORDINATOR_NOT_AVAILABLE,
  ErrorCode.COORDINATOR_LOAD_IN_PROGRESS,
  ErrorCode.REBALANCE_IN_PROGRESS,
  ErrorCode.REQUEST_TIMED_OUT,
]);

function rejoin(
  state: MembershipState,
  reason: string,
  patch: Partial<MembershipState> = {},
): MembershipState {
  return enterJoining(state, reason, { members: [], ...patch });
}

function retry(
  state: MembershipState,
  reason: string,
  patch: Partial<MembershipState> = {},
): MembershipState {
  return { ...rejoin(state, reason, patch), attempt: state.attempt + 1 };
}

/** Eager members give everything up before rejoining; cooperative ones keep their partitions (KIP-429). */
function rebalance(state: MembershipState, reason: string): MembershipState {
  return giveUp(state, reason, {
    commit: state.assignment,
    revoke: state.cooperative ? [] : state.assignment,
    lost: false,
    trigger: 'revoke',
    then: 'rejoin',
  });
}

/** The generation is gone: partitions are lost (not committed), and the member joins afresh. */
function lose(state: MembershipState, reason: string): MembershipState {
  return giveUp(
    state,
    reason,
    { commit: [], revoke: state.assignment, lost: true, trigger: 'revoke', then: 'rejoin' },
    { memberId: '', generationId: -1 },
  );
}

function close(
  state: MembershipState,
  reason: string,
  patch: Partial<MembershipState> = {},
): MembershipState {
  // Static members do not leave on close: a restart within the session timeout keeps the assignment (KIP-345).
  return enterClosed(
    state,
    reason,
    patch,
    (next) =>
      next.error === null &&
      state.phase !== 'unjoined' &&
      next.memberId !== '' &&
      next.groupInstanceId === null,
  );
}

function fail(state: MembershipState, reason: string, error: KafkaRxError): MembershipState {
  if (state.assignment.length === 0) return close(state, reason, { error });
  return loseAndClose(state, reason, error);
}

function errorName(code: number): string {
  return errorCodeEntry(code)?.name ?? `error ${code}`;
}

/**
 * Failures that retrying cannot mend because the configuration is wrong: a cluster never reached
 * within bootstrapTimeoutMs, credentials or certificates refused, an API the brokers do not speak.
 * They fail the stream.
 */
const configurationFailures = new Set([
  'BootstrapError',
  'AuthenticationError',
  'TlsError',
  'ConfigError',
  'UnsupportedVersionError',
]);

export function isConfigurationFailure(error: {
  readonly name: string;
  readonly retriable: boolean;
}): boolean {
  return !error.retriable && configurationFailures.has(error.name);
}

/**
 * The classic consumer group protocol as a pure function: (state, event) -> state. Effects
 * (requests, timers) are derived from the states it produces, and their outcomes come back as events.
 */
export function membershipReducer(state: MembershipState, event: MembershipEvent): MembershipState {
  if (state.phase === 'closed') return state;
  switch (event.type) {
    case 'subscribe':
      return state.phase === 'unjoined' ? rejoin(state, 'subscribed') : state;

    case 'poll-resumed':
      return state.phase === 'unjoined' && state.reason !== 'not subscribed'
        ? rejoin(state, 'the application takes records again', {
            memberId: state.groupInstanceId === null ? '' : state.memberId,
          })
        : state;

    case 'close':
      if (state.phase === 'stable' || (state.phase === 'syncing' && state.assignment.length > 0)) {
        return giveUpAll(state, 'closing', 'close', 'close');
      }
      if (state.phase === 'rebalancing' && state.giveUp) return closeWhenGivenUp(state, state.giveUp);
      return close(state, 'closed');

    case 'fatal':
      return fail(state, event.error.message, event.error);

    case 'joined':
      if (state.phase !== 'joining') return state;
      return {
        ...state,
        phase: 'syncing',
        seq: state.seq + 1,
        attempt: 0,
        memberId: event.memberId,
        generationId: event.generationId,
        leader: event.leader,
        protocolName: event.protocolName,
        members: event.members,
        reason: `joined generation ${event.generationId}`,
      };

    case 'join-failed': {
      if (state.phase !== 'joining') return state;
      const code = event.errorCode;
      if (code === ErrorCode.MEMBER_ID_REQUIRED) {
        // KIP-394: the coordinator hands out the member id; join again with it at once.
        return rejoin(state, 'member id assigned', { memberId: event.memberId ?? '' });
      }
      if (code === ErrorCode.UNKNOWN_MEMBER_ID || code === ErrorCode.ILLEGAL_GENERATION) {
        return retry(state, errorName(code), { memberId: '', generationId: -1 });
      }
      if (code === ErrorCode.FENCED_INSTANCE_ID)
        return fail(state, 'fenced', fencedInstanceError(state.groupInstanceId));
      if (retriableGroupErrors.has(code)) return retry(state, errorName(code));
      return fail(state, errorName(code), fatalGroupError('JoinGroup', code));
    }

    case 'synced': {
      if (state.phase !== 'syncing') return state;
      const revoked = subtractPartitions(state.assignment, event.assignment);
      if (state.cooperative && revoked.length > 0) {
        // KIP-429: give up what moved to another member, then rejoin so it can be handed over.
        return giveUp(
          state,
          'partitions moved to other members',
          { commit: revoked, revoke: revoked, lost: false, trigger: 'revoke', then: 'rejoin' },
          { assignment: unionPartitions(event.assignment, revoked), members: [] },
        );
      }
      return {
        ...state,
        phase: 'stable',
        seq: state.seq + 1,
        attempt: 0,
        assignment: unionPartitions(event.assignment, []),
        members: [],
        reason: `synced generation ${state.generationId}`,
      };
    }

    case 'sync-failed': {
      if (state.phase !== 'syncing') return state;
      const code = event.errorCode;
      if (code === ErrorCode.REBALANCE_IN_PROGRESS) return rejoin(state, errorName(code));
      if (code === ErrorCode.UNKNOWN_MEMBER_ID || code === ErrorCode.ILLEGAL_GENERATION) {
        return retry(state, errorName(code), { memberId: '', generationId: -1 });
      }
      if (code === ErrorCode.FENCED_INSTANCE_ID)
        return fail(state, 'fenced', fencedInstanceError(state.groupInstanceId));
      if (retriableGroupErrors.has(code)) return retry(state, errorName(code));
      return fail(state, errorName(code), fatalGroupError('SyncGroup', code));
    }

    case 'heartbeat-failed': {
      if (state.phase !== 'stable') return state;
      const code = event.errorCode;
      if (code === ErrorCode.REBALANCE_IN_PROGRESS) return rebalance(state, 'the group is rebalancing');
      if (code === ErrorCode.ILLEGAL_GENERATION || code === ErrorCode.UNKNOWN_MEMBER_ID)
        return lose(state, errorName(code));
      if (code === ErrorCode.FENCED_INSTANCE_ID)
        return fail(state, 'fenced', fencedInstanceError(state.groupInstanceId));
      // Coordinator errors: the effects rediscover the coordinator; membership is unchanged.
      return state;
    }

    case 'request-failed':
      if (isConfigurationFailure(event.error)) return fail(state, event.error.message, event.error);
      if (state.phase === 'joining' || state.phase === 'syncing') return retry(state, event.error.message);
      return state;

    case 'rejoin':
      return state.phase === 'stable' ? rebalance(state, event.reason) : state;

    case 'poll-timeout':
      return pollTimedOut(state);

    case 'given-up':
      return givenUp(state, {
        close: (s, assignment) => close(s, s.error ? s.reason : 'closed', { assignment }),
        leave: (s, assignment) =>
          leave(s, assignment, {
            generationId: -1,
            leaveGroup: s.memberId !== '' && s.groupInstanceId === null,
          }),
        rejoin: (s, assignment) => rejoin(s, s.reason, { assignment }),
        // Only the consumer group protocol reconciles; a classic member joins again.
        reconcile: (s, assignment) => rejoin(s, s.reason, { assignment }),
      });
  }
}
