import { of } from 'rxjs';
import { ErrorCode } from '../../protocol/errors';
import { ShareAcknowledge } from '../../protocol/specs';
import type { ResponseBodyOf } from '../../protocol/spec-types';
import { currentLeader } from './partition-access';
import { shareErrorResponse, shareRequestRefusal } from './share-request-check';
import type { ApiHandler } from './handler';
import { acknowledgePartition, releaseSessionRecords, sharePartitionTarget } from './share-partition-target';

type Response = ResponseBodyOf<typeof ShareAcknowledge>;

function errorResponse(errorCode: number, errorMessage: string | null = null): Response {
  return shareErrorResponse(errorCode, errorMessage);
}

/**
 * ShareAcknowledge (key 79, v1-2): accepts, releases, rejects or renews (v2, with isRenewAck)
 * records a member holds, within its share session. Epoch 0 is INVALID_SHARE_SESSION_EPOCH (only
 * a ShareFetch opens a session); -1 ends the session, releasing what the member still holds.
 */
export const shareAcknowledgeHandler: ApiHandler<typeof ShareAcknowledge> = {
  api: ShareAcknowledge,
  handle(request, cluster) {
    const { body, nodeId } = request;
    const groupId = body.groupId ?? '';
    const memberId = body.memberId ?? '';
    const refusal = shareRequestRefusal(cluster, groupId, memberId);
    if (refusal !== null) return of(errorResponse(refusal.errorCode, refusal.message));
    const verdict = cluster.sharePartitions.sessions.open(
      nodeId,
      groupId,
      memberId,
      body.shareSessionEpoch,
      false,
    );
    if (!('session' in verdict)) return of(errorResponse(verdict.errorCode));
    const { session, final } = verdict;
    const responses = body.topics.map((t) => ({
      topicId: t.topicId,
      partitions: t.partitions.map((p) => {
        const target = sharePartitionTarget(cluster, nodeId, t.topicId, p.partitionIndex);
        return {
          partitionIndex: p.partitionIndex,
          errorCode: acknowledgePartition(
            cluster,
            target,
            groupId,
            memberId,
            p.acknowledgementBatches,
            body.isRenewAck === true,
          ),
          errorMessage: null,
          currentLeader: currentLeader(target.partition),
        };
      }),
    }));
    if (final) releaseSessionRecords(cluster, nodeId, groupId, memberId, session.partitions);
    cluster.sharePartitions.sessions.done(session, final);
    return of({
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      errorMessage: null,
      acquisitionLockTimeoutMs: cluster.sharePartitions.settings(groupId).lockDurationMs,
      responses,
      nodeEndpoints: [],
    });
  },
  errorResponse: (_request, errorCode) => errorResponse(errorCode),
};
