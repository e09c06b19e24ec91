import type { Assignor, MemberSubscription, TopicPartitions } from './assignor';
import { addPartition, emptyAssignment, subscribedTopics, toTopicPartitions } from './assignment';
import { compareMembers } from './member-order';

/**
 * The `range` assignor, as Kafka's Java client and librdkafka do it: for each topic on its own,
 * the members subscribed to it, in member order, each take a contiguous range of partitions; the
 * first `partitions % members` members take one more. Members of a group may mix kafka-rx with
 * other clients, so the result must be the same as theirs.
 */
export const rangeAssignor: Assignor = {
  name: 'range',
  rebalanceProtocol: 'eager',
  assign(
    members: readonly MemberSubscription[],
    partitionCounts: ReadonlyMap<string, number>,
  ): Map<string, TopicPartitions[]> {
    const assignment = emptyAssignment(members);
    for (const topic of subscribedTopics(members, partitionCounts)) {
      const consumers = members.filter((m) => m.topics.includes(topic)).sort(compareMembers);
      const count = partitionCounts.get(topic)!;
      const perMember = Math.floor(count / consumers.length);
      const extra = count % consumers.length;
      consumers.forEach((member, i) => {
        const start = perMember * i + Math.min(i, extra);
        const length = perMember + (i < extra ? 1 : 0);
        for (let p = start; p < start + length; p++) addPartition(assignment, member.memberId, topic, p);
      });
    }
    return toTopicPartitions(assignment);
  },
};
