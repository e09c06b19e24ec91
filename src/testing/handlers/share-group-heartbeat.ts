import { of } from 'rxjs';
import { ShareGroupHeartbeat } from '../../protocol/specs';
import { groupHeartbeatRefusal, heartbeatErrorResponse } from './group-heartbeat-check';
import type { ApiHandler } from './handler';
import { heartbeatResponse } from './heartbeat-response';

/**
 * ShareGroupHeartbeat (key 76): join, heartbeat and leave of a share group. A group id in use by a
 * classic group with members or by a consumer group is GROUP_ID_NOT_FOUND, as Kafka answers. A
 * heartbeat the test chose to drop (`dropHeartbeats`) is never handled nor answered.
 */
export const shareGroupHeartbeatHandler: ApiHandler<typeof ShareGroupHeartbeat> = {
  api: ShareGroupHeartbeat,
  handle(request, cluster) {
    const body = request.body;
    const refusal = groupHeartbeatRefusal(request, cluster, 'share', body.groupId, body.memberId);
    if (refusal !== null) return refusal;
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
  errorResponse: (_request, errorCode) => heartbeatErrorResponse(errorCode),
};
