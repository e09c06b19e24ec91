import { protocolError } from '../../protocol/errors';
import { isConfigurationFailure } from '../membership/reducer';
import {
  closeWhenGivenUp,
  giveUp,
  giveUpAll,
  givenUp,
  leave,
  loseAndClose,
  pollTimedOut,
} from '../membership/give-up';
import { enterClosed, enterJoining } from '../membership/enter-phase';
import { sortPartitions, subtractPartitions } from '../topic-partition';
import type { TopicPartition } from '../types';
import { consumerGroupError } from './errors';
import type { ConsumerGroupEvent } from './events';
import { MemberEpoch, type ConsumerGroupState } from './state';
import { fencedHeartbeatErrors, retriableHeartbeatErrors } from '../group/heartbeat-errors';

type State = ConsumerGroupState;

function join(state: State, reason: string, patch: Partial<State> = {}): State {
  return enterJoining(state, reason, {
    generationId: MemberEpoch.JOIN,
    target: null,
    acknowledge: false,
    ...patch,
  });
}

function close(state: State, reason: string, patch: Partial<State> = {}): State {
  // Only a member the coordinator knows (an epoch was given) leaves; a static one with epoch -2.
  return enterClosed(
    state,
    reason,
    patch,
    (next) => next.error === null && state.phase !== 'unjoined' && next.generationId > 0,
  );
}

function fail(state: State, reason: string, error: NonNullable<State['error']>): State {
  if (state.assignment.length === 0) return close(state, reason, { error });
  return loseAndClose(state, reason, error);
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
  if (fencedHeartbeatErrors.has(errorCode)) {
    if (state.phase === 'joining') return { ...join(state, name), attempt: state.attempt + 1 };
    // Already losing, leaving or closing: that goes on (a close must not turn into a rejoin).
    if (state.phase === 'rebalancing' && state.giveUp?.then !== 'reconcile') return state;
    return lose(state, name);
  }
  if (retriableHeartbeatErrors.has(errorCode)) {
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
      if (state.phase === 'stable') return giveUpAll(state, 'closing', 'close', 'close');
      // Whatever the reconciliation gives up now, the rest is given up (and committed) on close.
      if (state.phase === 'rebalancing' && state.giveUp) return closeWhenGivenUp(state, state.giveUp);
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
      return pollTimedOut(state);

    case 'given-up':
      return givenUp(state, {
        close: (s, assignment) => close(s, s.error ? s.reason : 'closed', { assignment }),
        leave: (s, assignment) => leave(s, assignment, { target: null, leaveGroup: s.generationId > 0 }),
        rejoin: (s, assignment) => join(s, s.reason, { assignment }),
        reconcile: (s, assignment) => reconcile({ ...s, assignment }, s.target ?? assignment, true),
      });

    // Classic-only events; subscription changes are the coordinator's to notice under this protocol.
    case 'joined':
    case 'join-failed':
    case 'synced':
    case 'sync-failed':
    case 'rejoin':
      return state;
  }
}
