import { Observable } from 'rxjs';
import { ErrorCode } from '../../protocol/errors';
import { JoinGroup } from '../../protocol/specs';
import type { ResponseBodyOf } from '../../protocol/spec-types';
import { joinError } from '../group-coordinator/coordinator-results';
import type { JoinResult } from '../group-coordinator/group';
import { coordinatorError } from './coordinator-check';
import type { ApiHandler } from './handler';

function body(result: JoinResult, version: number): ResponseBodyOf<typeof JoinGroup> {
  return {
    throttleTimeMs: 0,
    errorCode: result.errorCode,
    generationId: result.generationId,
    protocolType: result.protocolType,
    // Nullable only from v7.
    protocolName: result.protocolName ?? (version >= 7 ? null : ''),
    leader: result.leader,
    skipAssignment: result.skipAssignment,
    memberId: result.memberId,
    members: result.members,
  };
}

function failed(memberId: string, errorCode: number, version: number): ResponseBodyOf<typeof JoinGroup> {
  return body(joinError(memberId, errorCode), version);
}

/**
 * JoinGroup (key 11): the request waits until the group's rebalance completes (every member
 * rejoined, or the rebalance timeout), then answers with the generation; the leader gets the
 * members and their subscriptions.
 */
export const joinGroupHandler: ApiHandler<typeof JoinGroup> = {
  api: JoinGroup,
  handle(request, cluster) {
    const { body: req, version } = request;
    return new Observable<ResponseBodyOf<typeof JoinGroup>>((subscriber) => {
      const notCoordinator = coordinatorError(request, cluster, req.groupId);
      const respond = (result: JoinResult) => {
        subscriber.next(body(result, version));
        subscriber.complete();
      };
      if (notCoordinator !== ErrorCode.NONE) {
        subscriber.next(failed(req.memberId, notCoordinator, version));
        subscriber.complete();
        return;
      }
      cluster.coordinator.join(
        {
          groupId: req.groupId,
          memberId: req.memberId,
          groupInstanceId: req.groupInstanceId ?? null,
          clientId: request.clientId ?? '',
          clientHost: request.clientHost,
          sessionTimeoutMs: req.sessionTimeoutMs,
          // v0 has no rebalance timeout: the session timeout serves as both.
          rebalanceTimeoutMs:
            version >= 1 && (req.rebalanceTimeoutMs ?? -1) >= 0
              ? (req.rebalanceTimeoutMs ?? -1)
              : req.sessionTimeoutMs,
          protocolType: req.protocolType,
          protocols: req.protocols,
          requireKnownMemberId: version >= 4,
        },
        respond,
      );
    });
  },
  errorResponse: (request, errorCode) => failed(request.body.memberId, errorCode, request.version),
};
