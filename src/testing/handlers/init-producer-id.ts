import { of } from 'rxjs';
import { ErrorCode } from '../../protocol/errors';
import { InitProducerId } from '../../protocol/specs';
import { coordinatorError } from './coordinator-check';
import type { ApiHandler } from './handler';

const failed = (errorCode: number) => ({
  throttleTimeMs: 0,
  errorCode,
  producerId: -1n,
  producerEpoch: -1,
});

/**
 * InitProducerId (key 22): a new producer id at epoch 0 for an idempotent producer; for a
 * transactional id, its coordinator's producer id with the next epoch (fencing older producers).
 */
export const initProducerIdHandler: ApiHandler<typeof InitProducerId> = {
  api: InitProducerId,
  handle(request, cluster) {
    const { body } = request;
    const transactionalId: string | null = body.transactionalId ?? null;
    if (transactionalId === null) {
      return of({
        throttleTimeMs: 0,
        errorCode: ErrorCode.NONE,
        producerId: cluster.allocateProducerId(),
        producerEpoch: 0,
      });
    }
    const notCoordinator = coordinatorError(request, cluster, transactionalId);
    if (notCoordinator !== ErrorCode.NONE) return of(failed(notCoordinator));
    const expected =
      request.version >= 3
        ? { producerId: body.producerId ?? -1n, producerEpoch: body.producerEpoch ?? -1 }
        : undefined;
    const result = cluster.transactions.initProducerId(transactionalId, body.transactionTimeoutMs, expected);
    return of({ throttleTimeMs: 0, ...result });
  },
  errorResponse: (_request, errorCode) => failed(errorCode),
};
