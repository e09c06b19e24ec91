import { map, mergeMap, type Observable, tap } from 'rxjs';
import type { Cluster } from '../cluster/cluster';
import { coordinatorMoved } from '../cluster/errors';
import { retryWithBackoff } from '../cluster/retry-with-backoff';
import { InitProducerId } from '../protocol/specs/init-producer-id';
import { brokerError } from './errors';
import { producerBackoff } from './producer-backoff';
import type { ProducerIdentity } from './producer-batch';

export interface InitProducerIdOptions {
  readonly transactionalId: string | null;
  readonly transactionTimeoutMs: number;
  readonly retryBackoffMs: number;
  /** Give up after this long. */
  readonly maxBlockMs: number;
  /** The identity held so far, so a transactional producer's epoch is bumped rather than replaced (v3+). */
  readonly current?: ProducerIdentity;
}

/**
 * InitProducerId: a producer id and epoch for an idempotent producer (from any broker) or a
 * transactional one (from its transaction coordinator, which also fences older producers with
 * the same transactionalId and aborts their open transaction). Retries retriable errors with
 * backoff on the clock for up to `maxBlockMs`.
 */
export function initProducerId(
  cluster: Cluster,
  options: InitProducerIdOptions,
): Observable<ProducerIdentity> {
  const { transactionalId, retryBackoffMs } = options;
  const body = {
    transactionalId,
    transactionTimeoutMs: options.transactionTimeoutMs,
    producerId: options.current?.producerId ?? -1n,
    producerEpoch: options.current?.producerEpoch ?? -1,
  };
  const request$ =
    transactionalId === null
      ? cluster.requestAny(InitProducerId, body)
      : cluster
          .coordinator(transactionalId, 'transaction')
          .pipe(mergeMap((coordinator) => cluster.request(coordinator, InitProducerId, body)));
  return request$.pipe(
    map((response) => {
      if (response.errorCode !== 0) {
        throw brokerError(
          response.errorCode,
          transactionalId === null ? 'InitProducerId' : `InitProducerId for "${transactionalId}"`,
        );
      }
      return { producerId: BigInt(response.producerId), producerEpoch: Number(response.producerEpoch) };
    }),
    tap({
      error: (error: { code?: number }) => {
        if (transactionalId !== null && coordinatorMoved(error.code))
          cluster.coordinatorDead(transactionalId, 'transaction');
      },
    }),
    retryWithBackoff({
      clock: cluster.clock,
      backoff: producerBackoff(retryBackoffMs),
      maxElapsedMs: options.maxBlockMs,
    }),
  );
}
