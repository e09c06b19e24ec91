import type { KafkaRxError } from '../../errors';
import { subtractPartitions } from '../topic-partition';
import type { CommitTrigger, TopicPartition } from '../types';
import type { GiveUp, MembershipState } from './state';

/**
 * The `rebalancing` steps both group protocols share (classic and KIP-848): the reducers enter
 * them, the effects commit and revoke, and `given-up` moves on as the plan says.
 */

/** Enters `rebalancing`: the effects commit `plan.commit`, revoke `plan.revoke`, then report `given-up`. */
export function giveUp<S extends MembershipState>(
  state: S,
  reason: string,
  plan: GiveUp,
  patch: Partial<S> = {},
): S {
  return { ...state, phase: 'rebalancing', seq: state.seq + 1, attempt: 0, reason, giveUp: plan, ...patch };
}

/** Everything owned is committed and given up, then the member closes or leaves. */
export function giveUpAll<S extends MembershipState>(
  state: S,
  reason: string,
  trigger: CommitTrigger,
  then: 'close' | 'leave',
): S {
  return giveUp(state, reason, {
    commit: state.assignment,
    revoke: state.assignment,
    lost: false,
    trigger,
    then,
  });
}

/** `close` while giving partitions up (`plan`): that finishes first, then the member closes. */
export function closeWhenGivenUp<S extends MembershipState>(state: S, plan: GiveUp): S {
  return { ...state, giveUp: { ...plan, then: 'close' } };
}

/** A fatal error: owned partitions are lost, not committed (the member may own them no longer); then close. */
export function loseAndClose<S extends MembershipState>(state: S, reason: string, error: KafkaRxError): S {
  return giveUp(
    state,
    reason,
    { commit: [], revoke: state.assignment, lost: true, trigger: 'close', then: 'close' },
    { error } as Partial<S>,
  );
}

/** `poll-timeout`: the application stopped taking records, so a stable member gives all up and leaves. */
export function pollTimedOut<S extends MembershipState>(state: S): S {
  return state.phase === 'stable' ? giveUpAll(state, 'maxPollIntervalMs exceeded', 'revoke', 'leave') : state;
}

/** Leaves the group for `unjoined`, keeping `assignment` (what giving up left). */
export function leave<S extends MembershipState>(
  state: S,
  assignment: readonly TopicPartition[],
  patch: Partial<S>,
): S {
  return { ...state, phase: 'unjoined', seq: state.seq + 1, assignment, giveUp: null, ...patch };
}

/** Where each plan goes once its partitions are given up, with the assignment that remains. */
export type AfterGiveUp<S> = Record<GiveUp['then'], (state: S, assignment: readonly TopicPartition[]) => S>;

/** `given-up`: drops the revoked partitions and moves on as the plan says. */
export function givenUp<S extends MembershipState>(state: S, next: AfterGiveUp<S>): S {
  if (state.phase !== 'rebalancing' || !state.giveUp) return state;
  const plan = state.giveUp;
  return next[plan.then](state, subtractPartitions(state.assignment, plan.revoke));
}
