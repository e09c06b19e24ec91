import type { Assignment } from './assignment';

/** Kafka's MemberState: where a member is on its way to its target assignment. */
export type MemberState = 'STABLE' | 'UNREVOKED_PARTITIONS' | 'UNRELEASED_PARTITIONS';

/** A member's epochs and partitions, as the coordinator reconciles them. */
export interface MemberAssignment {
  readonly memberEpoch: number;
  /** The epoch before the last change: a heartbeat that carries it lost its answer (and is forgiven). */
  readonly previousMemberEpoch: number;
  readonly state: MemberState;
  /** What the member may own (and is told it owns). */
  readonly assigned: Assignment;
  /** What it must give up before it moves to the next epoch. */
  readonly pendingRevocation: Assignment;
}
