import type { Assignor, MemberSubscription, TopicPartitions } from './assignor';
import { addPartition, emptyAssignment, toTopicPartitions } from './assignment';
import { stickyAssignment } from './sticky-assignment';

/**
 * The `cooperative-sticky` assignor (incremental rebalancing, KIP-429): a balanced, sticky
 * assignment, except that a partition moving from one member to another is given to nobody in
 * this rebalance. Its old owner sees it missing from its assignment, revokes only that
 * partition, and rejoins; the next rebalance hands it to its new owner. Partitions that do not
 * move are never revoked.
 */
export const cooperativeStickyAssignor: Assignor = {
  name: 'cooperative-sticky',
  rebalanceProtocol: 'cooperative',
  assign(
    members: readonly MemberSubscription[],
    partitionCounts: ReadonlyMap<string, number>,
  ): Map<string, TopicPartitions[]> {
    const { assignment, previousOwner } = stickyAssignment(members, partitionCounts);
    const result = emptyAssignment(members);
    for (const [memberId, keys] of assignment) {
      for (const key of keys) {
        const owner = previousOwner.get(key);
        if (owner !== undefined && owner !== memberId) continue;
        const cut = key.lastIndexOf(':');
        addPartition(result, memberId, key.slice(0, cut), Number(key.slice(cut + 1)));
      }
    }
    return toTopicPartitions(result);
  },
};
