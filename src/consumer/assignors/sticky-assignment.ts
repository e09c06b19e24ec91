import type { MemberSubscription } from './assignor';
import { subscribedTopics } from './assignment';
import { compareMembers } from './member-order';

/** `topic:partition`, a key for maps. */
export type PartitionKey = string;
export const partitionKey = (topic: string, partition: number): PartitionKey => `${topic}:${partition}`;

export interface StickyResult {
  /** member id -> partition keys it gets. */
  readonly assignment: Map<string, PartitionKey[]>;
  /** partition key -> member that owned it before this rebalance (only claims that remain valid). */
  readonly previousOwner: Map<PartitionKey, string>;
}

/**
 * A balanced assignment that moves as few partitions as it can. Each member keeps what it owned
 * (where the partition still exists and the member still subscribes to its topic; when two members
 * claim a partition, the one from the newer generation keeps it), new partitions go to the least
 * loaded eligible member, and then partitions move one by one from the most loaded members to
 * eligible members holding at least two fewer, until no such move is left.
 */
export function stickyAssignment(
  members: readonly MemberSubscription[],
  partitionCounts: ReadonlyMap<string, number>,
): StickyResult {
  const ordered = [...members].sort(compareMembers);
  const topics = subscribedTopics(members, partitionCounts);
  const assignment = new Map<string, PartitionKey[]>(ordered.map((m) => [m.memberId, []]));
  const eligible = new Map<PartitionKey, MemberSubscription[]>();
  const all: PartitionKey[] = [];
  for (const topic of topics) {
    const subscribers = ordered.filter((m) => m.topics.includes(topic));
    for (let p = 0; p < partitionCounts.get(topic)!; p++) {
      const key = partitionKey(topic, p);
      all.push(key);
      eligible.set(key, subscribers);
    }
  }

  const previousOwner = validClaims(ordered, eligible);
  for (const [key, owner] of previousOwner) assignment.get(owner)!.push(key);

  const load = (m: MemberSubscription) => assignment.get(m.memberId)!.length;
  const leastLoaded = (candidates: readonly MemberSubscription[]) =>
    candidates.reduce((best, m) => (load(m) < load(best) ? m : best));

  for (const key of all) {
    if (previousOwner.has(key)) continue;
    const candidates = eligible.get(key)!;
    if (candidates.length > 0) assignment.get(leastLoaded(candidates).memberId)!.push(key);
  }

  balance(ordered, assignment, eligible, load, leastLoaded);
  return { assignment, previousOwner };
}

function validClaims(
  ordered: readonly MemberSubscription[],
  eligible: ReadonlyMap<PartitionKey, readonly MemberSubscription[]>,
): Map<PartitionKey, string> {
  const claims = new Map<PartitionKey, { member: MemberSubscription; contested: boolean }>();
  for (const member of ordered) {
    for (const { topic, partitions } of member.ownedPartitions) {
      for (const p of partitions) {
        const key = partitionKey(topic, p);
        if (!eligible.get(key)?.includes(member)) continue;
        const earlier = claims.get(key);
        if (!earlier || member.generationId > earlier.member.generationId) {
          claims.set(key, { member, contested: false });
        } else if (member.generationId === earlier.member.generationId) {
          // Two members claim it in the same generation: neither can be trusted to hold it.
          earlier.contested = true;
        }
      }
    }
  }
  const owners = new Map<PartitionKey, string>();
  for (const [key, claim] of claims) if (!claim.contested) owners.set(key, claim.member.memberId);
  return owners;
}

function balance(
  ordered: readonly MemberSubscription[],
  assignment: Map<string, PartitionKey[]>,
  eligible: ReadonlyMap<PartitionKey, readonly MemberSubscription[]>,
  load: (m: MemberSubscription) => number,
  leastLoaded: (candidates: readonly MemberSubscription[]) => MemberSubscription,
): void {
  // Every move lowers the sum of squared loads, so this ends.
  for (;;) {
    const byLoad = [...ordered].sort((a, b) => load(b) - load(a) || compareMembers(a, b));
    let moved = false;
    for (const from of byLoad) {
      const held = assignment.get(from.memberId)!;
      for (let i = held.length - 1; i >= 0 && !moved; i--) {
        const to = leastLoaded(eligible.get(held[i])!);
        if (load(to) < held.length - 1) {
          assignment.get(to.memberId)!.push(held[i]);
          held.splice(i, 1);
          moved = true;
        }
      }
      if (moved) break;
    }
    if (!moved) return;
  }
}
