import { NEVER, of } from 'rxjs';
import { ErrorCode } from '../../protocol/errors';
import { ConsumerGroupHeartbeat } from '../../protocol/specs';
import type { ResponseBodyOf } from '../../protocol/spec-types';
import type { ClusterState } from '../broker-state/cluster-state';
import { assignmentOf, type Assignment } from '../consumer-group-coordinator/assignment';
import { heartbeatFailure } from '../consumer-group-coordinator/consumer-group-coordinator';
import { coordinatorError } from './coordinator-check';
import type { ApiHandler } from './handler';
import { heartbeatResponse } from './heartbeat-response';

type Response = ResponseBodyOf<typeof ConsumerGroupHeartbeat>;
type TopicPartitions = ReadonlyArray<{ topicId: string; partitions: readonly number[] }>;

function errorResponse(errorCode: number, errorMessage: string | null = null): Response {
  return { throttleTimeMs: 0, ...heartbeatFailure(errorCode, errorMessage), assignment: null };
}

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
    if (!cluster.config.groupProtocols.includes('consumer'))
      return of(errorResponse(ErrorCode.UNSUPPORTED_VERSION, 'The consumer group protocol is disabled.'));
    const notCoordinator = coordinatorError(request, cluster, body.groupId);
    if (notCoordinator !== ErrorCode.NONE) return of(errorResponse(notCoordinator));
    if (cluster.faults.dropsHeartbeat(body.memberId, body.groupId)) return NEVER;
    if (
      (cluster.coordinator.describe(body.groupId)?.members.length ?? 0) > 0 ||
      cluster.shareGroups.has(body.groupId)
    ) {
      return of(
        errorResponse(ErrorCode.GROUP_ID_NOT_FOUND, `Group ${body.groupId} is not a consumer group.`),
      );
    }
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
  errorResponse: (_request, errorCode) => errorResponse(errorCode),
};
