import type { ClusterState } from '../broker-state/cluster-state';
import { partitionsOf, type Assignment } from '../consumer-group-coordinator/assignment';

/**
 * An assignment as ConsumerGroupHeartbeat and ShareGroupHeartbeat answer it: partitions by topic
 * id; topics the cluster no longer has are left out.
 */
export function topicPartitionsById(
  cluster: ClusterState,
  assignment: Assignment,
): Array<{ topicId: string; partitions: number[] }> {
  const topics = new Map<string, number[]>();
  for (const [topic, partition] of partitionsOf(assignment)) {
    const topicId = cluster.topics.get(topic)?.topicId;
    if (topicId !== undefined) topics.set(topicId, [...(topics.get(topicId) ?? []), partition]);
  }
  return [...topics].map(([topicId, partitions]) => ({ topicId, partitions }));
}
