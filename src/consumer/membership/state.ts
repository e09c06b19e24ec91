import type { KafkaRxError } from '../../errors';
import type { CommitTrigger, TopicPartition } from '../types';
import type { MembershipPhase } from './membership-phase';

/** A member as JoinGroup reports it to the leader. */
export interface JoinedMember {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  /** Its ConsumerProtocolSubscription, encoded. */
  readonly metadata: Buffer;
}

/** What the `rebalancing` phase does before moving on. */
export interface GiveUp {
  /** Partitions whose consumed offsets are committed first (empty when the generation is no longer valid). */
  readonly commit: readonly TopicPartition[];
  /** Partitions given up, once committed. */
  readonly revoke: readonly TopicPartition[];
  /** True when the partitions were lost (generation reset): reported as `lost`, not committed. */
  readonly lost: boolean;
  readonly trigger: CommitTrigger;
  /** Where to go afterwards; `reconcile` (consumer group protocol): take the target assignment. */
  readonly then: 'rejoin' | 'leave' | 'close' | 'reconcile';
}

/** The membership state: a value, changed only by the reducer. */
export interface MembershipState {
  readonly phase: MembershipPhase;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly generationId: number;
  readonly leader: string;
  readonly protocolName: string | null;
  /** Every member with its subscription (only the leader gets them). */
  readonly members: readonly JoinedMember[];
  /** Partitions this member owns now. */
  readonly assignment: readonly TopicPartition[];
  /** True when the chosen assignors are cooperative (KIP-429): keep owned partitions across rebalances. */
  readonly cooperative: boolean;
  /** Bumped whenever the phase's request must be sent (again): effects restart on it. */
  readonly seq: number;
  /** Consecutive failures of the current step, for backoff. */
  readonly attempt: number;
  /** Why the member is in this phase (for events$ and the JoinGroup reason). */
  readonly reason: string;
  readonly giveUp: GiveUp | null;
  /** In `unjoined` and `closed`: send LeaveGroup for `memberId` on entry. */
  readonly leaveGroup: boolean;
  /** The fatal error that closed the membership, if any. */
  readonly error: KafkaRxError | null;
}

/** The state before subscribing. */
export function initialMembership(
  options: { groupInstanceId?: string | null; cooperative?: boolean } = {},
): MembershipState {
  return {
    phase: 'unjoined',
    memberId: '',
    groupInstanceId: options.groupInstanceId ?? null,
    generationId: -1,
    leader: '',
    protocolName: null,
    members: [],
    assignment: [],
    cooperative: options.cooperative ?? false,
    seq: 0,
    attempt: 0,
    reason: 'not subscribed',
    giveUp: null,
    leaveGroup: false,
    error: null,
  };
}

/** True when this member leads the group in the current generation. */
export function isLeader(state: MembershipState): boolean {
  return state.memberId !== '' && state.memberId === state.leader;
}
