import { of } from 'rxjs';
import { ErrorCode } from '../../protocol/errors';
import { AddPartitionsToTxn } from '../../protocol/specs';
import type { Message } from '../../protocol/spec';
import type { PartitionState } from '../broker-state/topic';
import { coordinatorError } from './coordinator-check';
import type { ApiHandler, BrokerRequest } from './handler';

function response(request: BrokerRequest, codeOf: (topic: string, partition: number) => number): Message {
  return {
    throttleTimeMs: 0,
    resultsByTopicV3AndBelow: (request.body.v3AndBelowTopics as Message[]).map((t) => ({
      name: t.name,
      resultsByPartition: (t.partitions as number[]).map((p) => ({
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
export const addPartitionsToTxnHandler: ApiHandler = {
  api: AddPartitionsToTxn,
  handle(request, cluster) {
    if (request.version >= 4)
      return of({
        throttleTimeMs: 0,
        errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED,
        resultsByTransaction: [],
      });
    const { body } = request;
    const transactionalId: string = body.v3AndBelowTransactionalId;
    const notCoordinator = coordinatorError(request, cluster, transactionalId);
    if (notCoordinator !== ErrorCode.NONE) return of(response(request, () => notCoordinator));
    const partitions: PartitionState[] = [];
    let unknown = false;
    for (const t of body.v3AndBelowTopics as Message[])
      for (const p of t.partitions as number[]) {
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
      { producerId: body.v3AndBelowProducerId, producerEpoch: body.v3AndBelowProducerEpoch },
      partitions,
    );
    return of(response(request, () => code));
  },
  errorResponse: (request, errorCode) =>
    request.version >= 4
      ? { throttleTimeMs: 0, errorCode, resultsByTransaction: [] }
      : response(request, () => errorCode),
};
