import type { Assignor, MemberSubscription, TopicPartitions } from './assignor';
import { addPartition, emptyAssignment, subscribedTopics, toTopicPartitions } from './assignment';
import { compareMembers } from './member-order';

/**
 * The `roundrobin` assignor: all partitions of all subscribed topics, in topic then partition
 * order, dealt one at a time to the members in member order, skipping members not subscribed to
 * the partition's topic.
 */
export const roundRobinAssignor: Assignor = {
  name: 'roundrobin',
  rebalanceProtocol: 'eager',
  assign(
    members: readonly MemberSubscription[],
    partitionCounts: ReadonlyMap<string, number>,
  ): Map<string, TopicPartitions[]> {
    const assignment = emptyAssignment(members);
    const ring = [...members].sort(compareMembers);
    let next = 0;
    for (const topic of subscribedTopics(members, partitionCounts)) {
      const count = partitionCounts.get(topic)!;
      for (let p = 0; p < count; p++) {
        // Someone subscribes to every topic in the list, so this loop always finds a member.
        while (!ring[next % ring.length].topics.includes(topic)) next++;
        addPartition(assignment, ring[next % ring.length].memberId, topic, p);
        next++;
      }
    }
    return toTopicPartitions(assignment);
  },
};
