import { NEVER, of } from 'rxjs';
import { ErrorCode } from '../../protocol/errors';
import { ShareGroupHeartbeat } from '../../protocol/specs';
import type { ResponseBodyOf } from '../../protocol/spec-types';
import { heartbeatFailure } from '../consumer-group-coordinator/consumer-group-coordinator';
import { coordinatorError } from './coordinator-check';
import type { ApiHandler } from './handler';
import { heartbeatResponse } from './heartbeat-response';

type Response = ResponseBodyOf<typeof ShareGroupHeartbeat>;

function errorResponse(errorCode: number, errorMessage: string | null = null): Response {
  return { throttleTimeMs: 0, ...heartbeatFailure(errorCode, errorMessage), assignment: null };
}

/**
 * ShareGroupHeartbeat (key 76): join, heartbeat and leave of a share group. A group id in use by a
 * classic group with members or by a consumer group is GROUP_ID_NOT_FOUND, as Kafka answers. A
 * heartbeat the test chose to drop (`dropHeartbeats`) is never handled nor answered.
 */
export const shareGroupHeartbeatHandler: ApiHandler<typeof ShareGroupHeartbeat> = {
  api: ShareGroupHeartbeat,
  handle(request, cluster) {
    const body = request.body;
    if (!cluster.config.groupProtocols.includes('share'))
      return of(errorResponse(ErrorCode.UNSUPPORTED_VERSION, 'Share groups are disabled.'));
    const notCoordinator = coordinatorError(request, cluster, body.groupId);
    if (notCoordinator !== ErrorCode.NONE) return of(errorResponse(notCoordinator));
    if (cluster.faults.dropsHeartbeat(body.memberId, body.groupId)) return NEVER;
    if (
      cluster.consumerGroups.has(body.groupId) ||
      (cluster.coordinator.describe(body.groupId)?.members.length ?? 0) > 0
    )
      return of(errorResponse(ErrorCode.GROUP_ID_NOT_FOUND, `Group ${body.groupId} is not a share group.`));
    const result = cluster.shareGroups.heartbeat({
      groupId: body.groupId,
      memberId: body.memberId,
      memberEpoch: body.memberEpoch,
      rackId: body.rackId ?? null,
      subscribedTopicNames: body.subscribedTopicNames ?? null,
      clientId: request.clientId ?? '',
      clientHost: request.clientHost,
    });
    return of(heartbeatResponse(cluster, result));
  },
  errorResponse: (_request, errorCode) => errorResponse(errorCode),
};
