import type { MembershipState } from './state';

/** Enters `joining` afresh: the effects (re)send the join request; what was given up or left is over. */
export function enterJoining<S extends MembershipState>(state: S, reason: string, patch: Partial<S>): S {
  return {
    ...state,
    phase: 'joining',
    seq: state.seq + 1,
    attempt: 0,
    reason,
    giveUp: null,
    leaveGroup: false,
    ...patch,
  };
}

/**
 * Enters `closed`, for good. `leaveGroup` says, from the state as patched, whether the member
 * still has a membership to leave (each protocol knows its own).
 */
export function enterClosed<S extends MembershipState>(
  state: S,
  reason: string,
  patch: Partial<S>,
  leaveGroup: (next: S) => boolean,
): S {
  const next = { ...state, ...patch };
  return { ...next, phase: 'closed', seq: state.seq + 1, reason, giveUp: null, leaveGroup: leaveGroup(next) };
}
