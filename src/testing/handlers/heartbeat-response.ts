import type { ClusterState } from '../broker-state/cluster-state';
import { partitionsOf, type Assignment } from '../consumer-group-coordinator/assignment';
import type { ConsumerGroupHeartbeatResult } from '../consumer-group-coordinator/consumer-group-coordinator';

/** Partitions by topic id; topics the cluster no longer has are left out. */
function topicPartitionsById(
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

/**
 * A coordinator's heartbeat result as ConsumerGroupHeartbeat and ShareGroupHeartbeat answer it
 * (their response bodies are alike): the assignment, when sent, by topic id.
 */
export function heartbeatResponse(cluster: ClusterState, result: ConsumerGroupHeartbeatResult) {
  return {
    throttleTimeMs: 0,
    errorCode: result.errorCode,
    errorMessage: result.errorMessage,
    memberId: result.memberId,
    memberEpoch: result.memberEpoch,
    heartbeatIntervalMs: result.heartbeatIntervalMs,
    assignment:
      result.assignment === null
        ? null
        : { topicPartitions: topicPartitionsById(cluster, result.assignment) },
  };
}
