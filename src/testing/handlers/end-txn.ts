import { of } from 'rxjs';
import { ErrorCode } from '../../protocol/errors';
import { EndTxn } from '../../protocol/specs';
import { coordinatorError } from './coordinator-check';
import type { ApiHandler } from './handler';

/** EndTxn (key 26): commits or aborts the transaction; its markers are in the logs when this answers. */
export const endTxnHandler: ApiHandler<typeof EndTxn> = {
  api: EndTxn,
  handle(request, cluster) {
    const { body } = request;
    const notCoordinator = coordinatorError(request, cluster, body.transactionalId);
    if (notCoordinator !== ErrorCode.NONE) return of({ throttleTimeMs: 0, errorCode: notCoordinator });
    const errorCode = cluster.transactions.endTransaction(
      body.transactionalId,
      { producerId: body.producerId, producerEpoch: body.producerEpoch },
      body.committed,
    );
    return of({ throttleTimeMs: 0, errorCode });
  },
  errorResponse: (_request, errorCode) => ({ throttleTimeMs: 0, errorCode }),
};
