import { intersect, isEmpty, minus, union, type Assignment } from './assignment';
import type { MemberAssignment } from './member-assignment';

/** Whether another member still holds a partition (assigned, or pending its revocation). */
export type OwnedByOther = (topic: string, partition: number) => boolean;

/**
 * One reconciliation step of a member towards its target, as Kafka's CurrentAssignmentBuilder:
 * partitions leave first (the epoch stays while the member still reports them), then the member
 * moves to the target epoch and takes the partitions no one else holds; those still held
 * elsewhere follow at a later heartbeat, once released. `owned` is what the heartbeat reported
 * (null: not said).
 */
export function reconcile(
  member: MemberAssignment,
  targetEpoch: number,
  target: Assignment,
  owned: Assignment | null,
  ownedByOther: OwnedByOther,
): MemberAssignment {
  switch (member.state) {
    case 'UNREVOKED_PARTITIONS':
      // Still reporting a partition it must give up: nothing moves yet.
      if (owned === null || !isEmpty(intersect(owned, member.pendingRevocation))) return member;
      return nextAssignment({ ...member, pendingRevocation: new Map() }, targetEpoch, target, ownedByOther);
    case 'UNRELEASED_PARTITIONS':
    case 'STABLE':
      if (member.memberEpoch === targetEpoch && member.state === 'STABLE') return member;
      return nextAssignment(member, targetEpoch, target, ownedByOther);
  }
}

function nextAssignment(
  member: MemberAssignment,
  targetEpoch: number,
  target: Assignment,
  ownedByOther: OwnedByOther,
): MemberAssignment {
  const kept = intersect(member.assigned, target);
  const revoking = minus(member.assigned, target);
  if (!isEmpty(revoking)) {
    return { ...member, state: 'UNREVOKED_PARTITIONS', assigned: kept, pendingRevocation: revoking };
  }
  const added = minus(target, member.assigned);
  const free = new Map<string, Set<number>>();
  let unreleased = false;
  for (const [topic, partitions] of added) {
    for (const p of partitions) {
      if (ownedByOther(topic, p)) unreleased = true;
      else free.set(topic, (free.get(topic) ?? new Set<number>()).add(p));
    }
  }
  const epochChanged = member.memberEpoch !== targetEpoch;
  return {
    memberEpoch: targetEpoch,
    previousMemberEpoch: epochChanged ? member.memberEpoch : member.previousMemberEpoch,
    state: unreleased ? 'UNRELEASED_PARTITIONS' : 'STABLE',
    assigned: union(kept, free),
    pendingRevocation: new Map(),
  };
}
