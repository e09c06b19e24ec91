import type { Subscription } from 'rxjs';
import { EMPTY_ASSIGNMENT, union, type Assignment } from './assignment';
import type { MemberAssignment } from './member-assignment';

/** Kafka's LEAVE_GROUP_STATIC_MEMBER_EPOCH: a static member that left, keeping its partitions for a while. */
export const LEAVE_STATIC_EPOCH = -2;

/** One member of a KIP-848 consumer group, as the coordinator keeps it. */
export interface ConsumerGroupMember {
  readonly memberId: string;
  readonly instanceId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  rackId: string | null;
  rebalanceTimeoutMs: number;
  subscribedTopicNames: readonly string[] | null;
  subscribedTopicRegex: string | null;
  serverAssignor: string | null;
  assignment: MemberAssignment;
  /** A static member that left with epoch -2: its partitions wait for it until the session times out. */
  leftStatic: boolean;
  sessionTimer?: Subscription;
  rebalanceTimer?: Subscription;
}

/** A KIP-848 consumer group: its epoch, its members and the target assignment of that epoch. */
export class ConsumerGroup {
  groupEpoch = 0;
  targetAssignmentEpoch = 0;
  readonly members = new Map<string, ConsumerGroupMember>();
  target = new Map<string, Assignment>();
  /** The subscribed topics and their partition counts the target was computed from. */
  subscriptionMetadata = '';
  /** The server-side assignor of the target (the first member's choice, else `uniform`). */
  assignorName = 'uniform';

  constructor(readonly groupId: string) {}

  /** Kafka's ConsumerGroup states, as ConsumerGroupDescribe and ListGroups name them. */
  get state(): 'Empty' | 'Assigning' | 'Reconciling' | 'Stable' {
    if (this.members.size === 0) return 'Empty';
    if (this.targetAssignmentEpoch !== this.groupEpoch) return 'Assigning';
    for (const m of this.members.values()) {
      if (m.assignment.state !== 'STABLE' || m.assignment.memberEpoch !== this.targetAssignmentEpoch)
        return 'Reconciling';
    }
    return 'Stable';
  }

  targetOf(memberId: string): Assignment {
    return this.target.get(memberId) ?? EMPTY_ASSIGNMENT;
  }

  /** Whether a member other than `memberId` holds the partition (assigned or still revoking it). */
  ownedByOther(memberId: string, topic: string, partition: number): boolean {
    for (const m of this.members.values()) {
      if (m.memberId === memberId) continue;
      if (union(m.assignment.assigned, m.assignment.pendingRevocation).get(topic)?.has(partition))
        return true;
    }
    return false;
  }

  staticMember(instanceId: string): ConsumerGroupMember | undefined {
    for (const m of this.members.values()) if (m.instanceId === instanceId) return m;
    return undefined;
  }
}
