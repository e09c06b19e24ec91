import { NEVER, of } from 'rxjs';
import { ErrorCode } from '../../protocol/errors';
import { Heartbeat } from '../../protocol/specs';
import { coordinatorError } from './coordinator-check';
import type { ApiHandler } from './handler';

/**
 * Heartbeat (key 12): renews the member's session; REBALANCE_IN_PROGRESS tells it to rejoin.
 * A heartbeat the test chose to drop is never handled nor answered.
 */
export const heartbeatHandler: ApiHandler<typeof Heartbeat> = {
  api: Heartbeat,
  handle(request, cluster) {
    const { groupId, generationId, memberId, groupInstanceId } = request.body;
    const notCoordinator = coordinatorError(request, cluster, groupId);
    if (notCoordinator !== ErrorCode.NONE) return of({ throttleTimeMs: 0, errorCode: notCoordinator });
    if (cluster.faults.dropsHeartbeat(memberId, groupId)) return NEVER;
    const errorCode = cluster.coordinator.heartbeat({
      groupId,
      generationId,
      memberId,
      groupInstanceId: groupInstanceId ?? null,
    });
    return of({ throttleTimeMs: 0, errorCode });
  },
  errorResponse: (_request, errorCode) => ({ throttleTimeMs: 0, errorCode }),
};
