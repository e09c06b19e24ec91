import { of } from 'rxjs';
import { ErrorCode } from '../../protocol/errors';
import { AddOffsetsToTxn } from '../../protocol/specs';
import { coordinatorError } from './coordinator-check';
import type { ApiHandler } from './handler';

/** AddOffsetsToTxn (key 25): the transaction will carry offsets of this group (TxnOffsetCommit next). */
export const addOffsetsToTxnHandler: ApiHandler<typeof AddOffsetsToTxn> = {
  api: AddOffsetsToTxn,
  handle(request, cluster) {
    const { body } = request;
    const notCoordinator = coordinatorError(request, cluster, body.transactionalId);
    if (notCoordinator !== ErrorCode.NONE) return of({ throttleTimeMs: 0, errorCode: notCoordinator });
    const errorCode = cluster.transactions.addOffsets(
      body.transactionalId,
      { producerId: body.producerId, producerEpoch: body.producerEpoch },
      body.groupId,
    );
    return of({ throttleTimeMs: 0, errorCode });
  },
  errorResponse: (_request, errorCode) => ({ throttleTimeMs: 0, errorCode }),
};
