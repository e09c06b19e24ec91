import type { Assignment } from './assignment';

/** A member as a server-side assignor sees it. */
export interface AssignorMember {
  readonly memberId: string;
  /** Subscribed topics that exist. */
  readonly topics: ReadonlySet<string>;
  /** Its assignment in the target so far, which a sticky assignor keeps where it can. */
  readonly current: Assignment;
}

/**
 * A server-side assignor (KIP-848's `group.consumer.assignors`): the target assignment of every
 * member, from the members' subscriptions and the topics' partition counts.
 */
export type ServerAssignor = (
  members: readonly AssignorMember[],
  partitionCounts: ReadonlyMap<string, number>,
) => Map<string, Assignment>;
