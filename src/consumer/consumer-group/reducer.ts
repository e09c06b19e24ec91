import { ErrorCode, protocolError } from '../../protocol/errors';
import { isConfigurationFailure } from '../membership/reducer';
import type { GiveUp } from '../membership/state';
import { sortPartitions, subtractPartitions } from '../topic-partition';
import type { TopicPartition } from '../types';
import { consumerGroupError } from './errors';
import type { ConsumerGroupEvent } from './events';
import { MemberEpoch, type ConsumerGroupState } from './state';

type State = ConsumerGroupState;

/** Errors after which a member of the group joins again with epoch 0, its partitions lost. */
const fencedErrors: ReadonlySet<number> = new Set([
  ErrorCode.FENCED_MEMBER_EPOCH,
  ErrorCode.UNKNOWN_MEMBER_ID,
]);

/** Errors that retrying the heartbeat mends (coordinator moves are rediscovered by the effects). */
const retriableErrors: ReadonlySet<number> = new Set([
  ErrorCode.NOT_COORDINATOR,
  ErrorCode.COORDINATOR_NOT_AVAILABLE,
  ErrorCode.COORDINATOR_LOAD_IN_PROGRESS,
  ErrorCode.REQUEST_TIMED_OUT,
]);

function join(state: State, reason: string, patch: Partial<State> = {}): State {
  return {
    ...state,
    phase: 'joining',
    seq: state.seq + 1,
    attempt: 0,
    reason,
    giveUp: null,
    leaveGroup: false,
    generationId: MemberEpoch.JOIN,
    target: null,
    acknowledge: false,
    ...patch,
  };
}

function giveUp(state: State, reason: string, plan: GiveUp, patch: Partial<State> = {}): State {
  return { ...state, phase: 'rebalancing', seq: state.seq + 1, attempt: 0, reason, giveUp: plan, ...patch };
}

function close(state: State, reason: string, patch: Partial<State> = {}): State {
  const next = { ...state, ...patch };
  return {
    ...next,
    phase: 'closed',
    seq: state.seq + 1,
    reason,
    giveUp: null,
    // Only a member the coordinator knows (an epoch was given) leaves; a static one with epoch -2.
    leaveGroup: next.error === null && state.phase !== 'unjoined' && next.generationId > 0,
  };
}

function fail(state: State, reason: string, error: NonNullable<State['error']>): State {
  if (state.assignment.length === 0) return close(state, reason, { error });
  return giveUp(
    state,
    reason,
    { commit: [], revoke: state.assignment, lost: true, trigger: 'close', then: 'close' },
    { error },
  );
}

/** Fenced: the partitions are lost (another member may own them already), then join with epoch 0. */
function lose(state: State, reason: string): State {
  if (state.assignment.length === 0) return join(state, reason);
  return giveUp(
    state,
    reason,
    { commit: [], revoke: state.assignment, lost: true, trigger: 'revoke', then: 'rejoin' },
    { generationId: MemberEpoch.JOIN, target: null, acknowledge: false },
  );
}

function samePartitions(a: readonly TopicPartition[], b: readonly TopicPartition[]): boolean {
  return a.length === b.length && subtractPartitions(a, b).length === 0;
}

/**
 * Moves towards `target`: what is no longer assigned is given up first (committed, then
 * revoked); then the new partitions are taken, and the next heartbeat, sent at once,
 * acknowledges the assignment. `force` enters `stable` afresh even when nothing changes (after
 * a revocation, which must be acknowledged too).
 */
function reconcile(state: State, target: readonly TopicPartition[], force: boolean): State {
  const revoked = subtractPartitions(state.assignment, target);
  if (revoked.length > 0) {
    return giveUp(
      state,
      'partitions moved to other members',
      { commit: revoked, revoke: revoked, lost: false, trigger: 'revoke', then: 'reconcile' },
      { target },
    );
  }
  if (!force && state.phase === 'stable' && samePartitions(state.assignment, target)) {
    return state.target === null ? state : { ...state, target: null };
  }
  return {
    ...state,
    phase: 'stable',
    seq: state.seq + 1,
    attempt: 0,
    reason: `reconciled member epoch ${state.generationId}`,
    assignment: sortPartitions(target),
    target: null,
    giveUp: null,
    acknowledge: true,
  };
}

function heartbeatFailed(state: State, errorCode: number, errorMessage: string | null | undefined): State {
  const name = protocolError(errorCode)?.name ?? `error ${errorCode}`;
  if (fencedErrors.has(errorCode)) {
    if (state.phase === 'joining') return { ...join(state, name), attempt: state.attempt + 1 };
    // Already losing, leaving or closing: that goes on (a close must not turn into a rejoin).
    if (state.phase === 'rebalancing' && state.giveUp?.then !== 'reconcile') return state;
    return lose(state, name);
  }
  if (retriableErrors.has(errorCode)) {
    // Joining: send again after a backoff; otherwise the next tick retries.
    return state.phase === 'joining' ? { ...join(state, name), attempt: state.attempt + 1 } : state;
  }
  return fail(state, name, consumerGroupError(errorCode, errorMessage));
}

/**
 * The consumer group protocol (KIP-848) as a pure function: (state, event) -> state. One
 * request, ConsumerGroupHeartbeat, joins (epoch 0), heartbeats, carries the assignment the
 * coordinator computed, acknowledges it (the owned partitions in the next heartbeat) and leaves
 * (epoch -1, or -2 for a static member). Effects are derived from the states, as for the classic
 * protocol, and the revoke and assign paths are the same.
 */
export function consumerGroupReducer(state: State, event: ConsumerGroupEvent): State {
  if (state.phase === 'closed') return state;
  switch (event.type) {
    case 'subscribe':
      return state.phase === 'unjoined' ? join(state, 'subscribed') : state;

    case 'poll-resumed':
      return state.phase === 'unjoined' && state.reason !== 'not subscribed'
        ? join(state, 'the application takes records again')
        : state;

    case 'close':
      if (state.phase === 'stable') {
        return giveUp(state, 'closing', {
          commit: state.assignment,
          revoke: state.assignment,
          lost: false,
          trigger: 'close',
          then: 'close',
        });
      }
      if (state.phase === 'rebalancing' && state.giveUp) {
        // Whatever the reconciliation gives up now, the rest is given up (and committed) on close.
        return { ...state, giveUp: { ...state.giveUp, then: 'close' } };
      }
      return close(state, 'closed');

    case 'fatal':
      return fail(state, event.error.message, event.error);

    case 'heartbeat-answered': {
      if (state.phase !== 'joining' && state.phase !== 'stable' && state.phase !== 'rebalancing')
        return state;
      const patch: Partial<State> = {
        memberId: event.memberId ?? state.memberId,
        generationId: event.memberEpoch,
        heartbeatIntervalMs:
          event.heartbeatIntervalMs > 0 ? event.heartbeatIntervalMs : state.heartbeatIntervalMs,
      };
      if (state.phase === 'joining') {
        // A heartbeat of the membership before (still in flight) does not answer the join.
        if (event.sentEpoch !== MemberEpoch.JOIN) return state;
        const joined: State = {
          ...state,
          ...patch,
          phase: 'stable',
          seq: state.seq + 1,
          attempt: 0,
          reason: `joined with member epoch ${event.memberEpoch}`,
          acknowledge: false,
        };
        return event.assignment === null ? joined : reconcile(joined, event.assignment, true);
      }
      if (state.phase === 'rebalancing') {
        // Giving partitions up: keep the newest target; it is reconciled once they are gone.
        if (state.giveUp?.then !== 'reconcile') return state;
        return { ...state, ...patch, target: event.assignment ?? state.target };
      }
      const next: State = {
        ...state,
        ...patch,
        acknowledge: false,
        // A new interval restarts the heartbeat timer.
        seq: patch.heartbeatIntervalMs !== state.heartbeatIntervalMs ? state.seq + 1 : state.seq,
      };
      return event.assignment === null ? next : reconcile(next, event.assignment, false);
    }

    case 'heartbeat-failed':
      if (state.phase !== 'joining' && state.phase !== 'stable' && state.phase !== 'rebalancing')
        return state;
      return heartbeatFailed(state, event.errorCode, event.errorMessage);

    case 'request-failed':
      if (isConfigurationFailure(event.error)) return fail(state, event.error.message, event.error);
      if (state.phase === 'joining')
        return { ...join(state, event.error.message), attempt: state.attempt + 1 };
      return state;

    case 'poll-timeout':
      if (state.phase !== 'stable') return state;
      return giveUp(state, 'maxPollIntervalMs exceeded', {
        commit: state.assignment,
        revoke: state.assignment,
        lost: false,
        trigger: 'revoke',
        then: 'leave',
      });

    case 'given-up': {
      if (state.phase !== 'rebalancing' || !state.giveUp) return state;
      const plan = state.giveUp;
      const assignment = subtractPartitions(state.assignment, plan.revoke);
      if (plan.then === 'close') return close(state, state.error ? state.reason : 'closed', { assignment });
      if (plan.then === 'leave') {
        return {
          ...state,
          phase: 'unjoined',
          seq: state.seq + 1,
          assignment,
          giveUp: null,
          target: null,
          leaveGroup: state.generationId > 0,
          reason: state.reason,
        };
      }
      if (plan.then === 'rejoin') return join(state, state.reason, { assignment });
      return reconcile({ ...state, assignment }, state.target ?? assignment, true);
    }

    // Classic-only events; subscription changes are the coordinator's to notice under this protocol.
    case 'joined':
    case 'join-failed':
    case 'synced':
    case 'sync-failed':
    case 'rejoin':
      return state;
  }
}
