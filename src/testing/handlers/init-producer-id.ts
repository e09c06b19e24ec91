import { of } from 'rxjs';
import { ErrorCode } from '../../protocol/errors';
import { InitProducerId } from '../../protocol/specs';
import type { ApiHandler } from './handler';

/**
 * InitProducerId (key 22): a new producer id, epoch 0, for an idempotent producer. There is
 * no transaction coordinator here, so a transactional id is refused.
 */
export const initProducerIdHandler: ApiHandler = {
  api: InitProducerId,
  handle(request, cluster) {
    const transactionalId: string | null = request.body.transactionalId ?? null;
    if (transactionalId !== null) {
      return of({
        throttleTimeMs: 0,
        errorCode: ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
        producerId: -1n,
        producerEpoch: -1,
      });
    }
    return of({
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      producerId: cluster.allocateProducerId(),
      producerEpoch: 0,
    });
  },
  errorResponse: (_request, errorCode) => ({
    throttleTimeMs: 0,
    errorCode,
    producerId: -1n,
    producerEpoch: -1,
  }),
};
