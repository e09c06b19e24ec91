import { of } from 'rxjs';
import { ErrorCode } from '../../protocol/errors';
import { TxnOffsetCommit } from '../../protocol/specs';
import type { OffsetToCommit } from '../group-coordinator/offset-to-commit';
import { coordinatorError } from './coordinator-check';
import { offsetCommitResponse } from './offset-commit';
import type { ApiHandler } from './handler';

/**
 * TxnOffsetCommit (key 28), at the group coordinator: offsets that become the group's committed
 * offsets only when the transaction commits (they are dropped on abort). The producer must be
 * the transactional id's current one and have added the group with AddOffsetsToTxn.
 */
export const txnOffsetCommitHandler: ApiHandler<typeof TxnOffsetCommit> = {
  api: TxnOffsetCommit,
  handle(request, cluster) {
    const { body } = request;
    const notCoordinator = coordinatorError(request, cluster, body.groupId);
    if (notCoordinator !== ErrorCode.NONE) return of(offsetCommitResponse(request, () => notCoordinator));
    const producer = { producerId: body.producerId, producerEpoch: body.producerEpoch };
    const verdict = cluster.transactions.verifyOffsetCommit(body.transactionalId, producer, body.groupId);
    if (verdict !== ErrorCode.NONE) return of(offsetCommitResponse(request, () => verdict));
    const unknown = (topic: string, p: { readonly partitionIndex: number }) =>
      cluster.partition(topic, p.partitionIndex) === undefined;
    const offsets: OffsetToCommit[] = body.topics.flatMap((t) =>
      t.partitions
        .filter((p) => !unknown(t.name, p))
        .map((p) => ({
          topic: t.name,
          partition: p.partitionIndex,
          offset: p.committedOffset,
          leaderEpoch: p.committedLeaderEpoch ?? -1,
          metadata: p.committedMetadata,
        })),
    );
    const groupCode = cluster.coordinator.commitTransactionalOffsets(
      {
        groupId: body.groupId,
        generationId: body.generationId ?? -1,
        memberId: body.memberId ?? '',
        groupInstanceId: body.groupInstanceId ?? null,
      },
      producer.producerId,
      offsets,
    );
    return of(
      offsetCommitResponse(request, (topic, p) =>
        unknown(topic, p) ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION : groupCode,
      ),
    );
  },
  errorResponse: (request, errorCode) => offsetCommitResponse(request, () => errorCode),
};
