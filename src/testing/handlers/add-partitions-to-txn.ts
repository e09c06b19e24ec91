import { of } from 'rxjs';
import { ErrorCode } from '../../protocol/errors';
import { AddPartitionsToTxn } from '../../protocol/specs';
import type { ResponseBodyOf } from '../../protocol/spec-types';
import type { PartitionState } from '../broker-state/topic';
import { coordinatorError } from './coordinator-check';
import type { ApiHandler, BrokerRequest } from './handler';

function response(
  request: BrokerRequest<typeof AddPartitionsToTxn>,
  codeOf: (topic: string, partition: number) => number,
): ResponseBodyOf<typeof AddPartitionsToTxn> {
  return {
    throttleTimeMs: 0,
    resultsByTopicV3AndBelow: (request.body.v3AndBelowTopics ?? []).map((t) => ({
      name: t.name,
      resultsByPartition: t.partitions.map((p) => ({
        partitionIndex: p,
        partitionErrorCode: codeOf(t.name, p),
      })),
    })),
  };
}

/**
 * AddPartitionsToTxn (key 24), the client form (v0-3): adds partitions to the transaction.
 * Unknown partitions fail alone and the others get OPERATION_NOT_ATTEMPTED, as in Kafka. v4+ is
 * for brokers: a client gets CLUSTER_AUTHORIZATION_FAILED.
 */
export const addPartitionsToTxnHandler: ApiHandler<typeof AddPartitionsToTxn> = {
  api: AddPartitionsToTxn,
  handle(request, cluster) {
    if (request.version >= 4)
      return of({
        throttleTimeMs: 0,
        errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED,
        resultsByTransaction: [],
      });
    const { body } = request;
    // The v0-3 (client) fields.
    const transactionalId = body.v3AndBelowTransactionalId ?? '';
    const notCoordinator = coordinatorError(request, cluster, transactionalId);
    if (notCoordinator !== ErrorCode.NONE) return of(response(request, () => notCoordinator));
    const partitions: PartitionState[] = [];
    let unknown = false;
    for (const t of body.v3AndBelowTopics ?? [])
      for (const p of t.partitions) {
        const partition = cluster.partition(t.name, p);
        if (partition === undefined) unknown = true;
        else partitions.push(partition);
      }
    if (unknown) {
      return of(
        response(request, (topic, p) =>
          cluster.partition(topic, p) === undefined
            ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION
            : ErrorCode.OPERATION_NOT_ATTEMPTED,
        ),
      );
    }
    const code = cluster.transactions.addPartitions(
      transactionalId,
      { producerId: body.v3AndBelowProducerId ?? -1n, producerEpoch: body.v3AndBelowProducerEpoch ?? -1 },
      partitions,
    );
    return of(response(request, () => code));
  },
  errorResponse: (request, errorCode) =>
    request.version >= 4
      ? { throttleTimeMs: 0, errorCode, resultsByTransaction: [] }
      : response(request, () => errorCode),
};
