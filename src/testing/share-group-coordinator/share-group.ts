import type { Subscription } from 'rxjs';
import type { Assignment } from '../consumer-group-coordinator/assignment';

/** One member of a share group, as the coordinator keeps it. */
export interface ShareGroupMember {
  readonly memberId: string;
  clientId: string;
  clientHost: string;
  rackId: string | null;
  /** The group epoch at the member's last heartbeat. */
  memberEpoch: number;
  subscribedTopicNames: readonly string[];
  assignment: Assignment;
  /** What the member was last told; null: tell it at the next heartbeat. */
  sentAssignment: Assignment | null;
  sessionTimer?: Subscription;
}

/** A share group (KIP-932): its epoch and its members. */
export class ShareGroup {
  groupEpoch = 0;
  readonly members = new Map<string, ShareGroupMember>();
  /** The subscribed topics and their partition counts at the last epoch. */
  subscriptionMetadata = '';

  constructor(readonly groupId: string) {}

  /** Kafka's ShareGroup states, as ListGroups names them. */
  get state(): 'Empty' | 'Stable' {
    return this.members.size === 0 ? 'Empty' : 'Stable';
  }
}
