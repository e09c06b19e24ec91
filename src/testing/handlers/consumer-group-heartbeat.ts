import { of } from 'rxjs';
import { ConsumerGroupHeartbeat } from '../../protocol/specs';
import type { ClusterState } from '../broker-state/cluster-state';
import { assignmentOf, type Assignment } from '../consumer-group-coordinator/assignment';
import { groupHeartbeatRefusal, heartbeatErrorResponse } from './group-heartbeat-check';
import type { ApiHandler } from './handler';
import { heartbeatResponse } from './heartbeat-response';

type TopicPartitions = ReadonlyArray<{ topicId: string; partitions: readonly number[] }>;

/** Owned partitions named by topic; ids of topics the cluster no longer has are left out. */
function byName(cluster: ClusterState, owned: TopicPartitions | null): Assignment | null {
  if (owned === null) return null;
  return assignmentOf(
    owned.flatMap((t) => {
      const topic = cluster.topicById(t.topicId);
      return topic === undefined ? [] : [[topic.name, t.partitions] as const];
    }),
  );
}

/**
 * ConsumerGroupHeartbeat (key 68): join, heartbeat and leave of a KIP-848 consumer group. A group
 * id in use by a classic group with members (Kafka answers so without a migration) or by a share
 * group is GROUP_ID_NOT_FOUND. A heartbeat the test chose to drop (`dropHeartbeats`) is never handled nor answered.
 */
export const consumerGroupHeartbeatHandler: ApiHandler<typeof ConsumerGroupHeartbeat> = {
  api: ConsumerGroupHeartbeat,
  handle(request, cluster) {
    const body = request.body;
    const refusal = groupHeartbeatRefusal(request, cluster, 'consumer', body.groupId, body.memberId);
    if (refusal !== null) return refusal;
    const result = cluster.consumerGroups.heartbeat({
      version: request.version,
      groupId: body.groupId,
      memberId: body.memberId,
      memberEpoch: body.memberEpoch,
      instanceId: body.instanceId ?? null,
      rackId: body.rackId ?? null,
      rebalanceTimeoutMs: body.rebalanceTimeoutMs,
      subscribedTopicNames: body.subscribedTopicNames ?? null,
      subscribedTopicRegex: body.subscribedTopicRegex ?? null,
      serverAssignor: body.serverAssignor ?? null,
      owned: byName(cluster, body.topicPartitions ?? null),
      clientId: request.clientId ?? '',
      clientHost: request.clientHost,
    });
    return of(heartbeatResponse(cluster, result));
  },
  errorResponse: (_request, errorCode) => heartbeatErrorResponse(errorCode),
};
