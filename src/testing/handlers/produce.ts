import { of } from 'rxjs';
import { ErrorCode } from '../../protocol/errors';
import { Produce } from '../../protocol/specs';
import type { ReceivedRequestOf, ResponseBodyOf } from '../../protocol/spec-types';
import { splitBatches } from '../broker-state/batch-header';
import type { ClusterState } from '../broker-state/cluster-state';
import type { PartitionState } from '../broker-state/topic';
import type { ApiHandler, BrokerRequest } from './handler';
import { currentLeader, partitionAccessError } from './partition-access';

type TopicData = ReceivedRequestOf<typeof Produce>['topicData'][number];
type PartitionResponse = ResponseBodyOf<typeof Produce>['responses'][number]['partitionResponses'][number];

interface PartitionResult {
  readonly errorCode: number;
  readonly baseOffset: bigint;
}

function partitionResponse(
  index: number,
  result: PartitionResult,
  partition: PartitionState | undefined,
): PartitionResponse {
  const notLeader =
    result.errorCode === ErrorCode.NOT_LEADER_OR_FOLLOWER ||
    result.errorCode === ErrorCode.FENCED_LEADER_EPOCH;
  return {
    index,
    errorCode: result.errorCode,
    baseOffset: result.baseOffset,
    logAppendTimeMs: -1n,
    logStartOffset: partition?.log.logStartOffset ?? -1n,
    recordErrors: [],
    errorMessage: null,
    ...(notLeader ? { currentLeader: currentLeader(partition) } : {}),
  };
}

/** Validates and appends one partition's records, as Kafka's log append does. */
function append(
  cluster: ClusterState,
  request: BrokerRequest<typeof Produce>,
  partition: PartitionState | undefined,
  records: Buffer | null,
): PartitionResult {
  const failed = (errorCode: number): PartitionResult => ({ errorCode, baseOffset: -1n });
  const access = partitionAccessError(partition, request.nodeId);
  if (access !== ErrorCode.NONE || partition === undefined) return failed(access);
  if (records === null || records.length === 0) return failed(ErrorCode.CORRUPT_MESSAGE);
  if (records.length > cluster.config.maxMessageBytes) return failed(ErrorCode.MESSAGE_TOO_LARGE);
  const batches = splitBatches(records);
  if (batches === 'corrupt') return failed(ErrorCode.CORRUPT_MESSAGE);
  if (batches === 'unsupported-magic') return failed(ErrorCode.UNSUPPORTED_FOR_MESSAGE_FORMAT);
  // Produce v3+ carries exactly one batch per partition.
  if (batches.length !== 1) return failed(ErrorCode.INVALID_RECORD);
  const [{ header, bytes }] = batches;
  // Markers are the transaction coordinator's to write, never a producer's.
  if (header.isControl) return failed(ErrorCode.INVALID_RECORD);
  if (header.isTransactional) {
    const verdict = cluster.transactions.verifyProduce(header, partition);
    if (verdict !== ErrorCode.NONE) return failed(verdict);
  }
  if (header.producerId >= 0n) {
    const verdict = partition.producers.check(header);
    if (verdict.kind === 'reject') return failed(ErrorCode[verdict.error]);
    if (verdict.kind === 'duplicate') return { errorCode: ErrorCode.NONE, baseOffset: verdict.baseOffset };
  }
  const baseOffset = partition.log.append(bytes, header, partition.leaderEpoch);
  if (header.producerId >= 0n) partition.producers.record(header, baseOffset);
  return { errorCode: ErrorCode.NONE, baseOffset };
}

function response(
  request: BrokerRequest<typeof Produce>,
  partitionResponses: (topic: TopicData, p: TopicData['partitionData'][number]) => PartitionResponse,
): ResponseBodyOf<typeof Produce> {
  return {
    responses: request.body.topicData.map((t) => ({
      name: t.name,
      partitionResponses: t.partitionData.map((p) => partitionResponses(t, p)),
    })),
    throttleTimeMs: 0,
  };
}

/**
 * Produce (key 0): appends each partition's record batch after the checks a broker makes
 * (leadership, CRC, one batch of magic 2, size, idempotent sequence, and for a
 * transactional batch, its producer's open transaction). With acks=0 nothing is
 * answered; acks=1 and acks=-1 are the same here (no followers to wait for).
 */
export const produceHandler: ApiHandler<typeof Produce> = {
  api: Produce,
  handle(request, cluster) {
    const acks: number = request.body.acks;
    if (acks !== 0 && acks !== 1 && acks !== -1) {
      return of(produceHandler.errorResponse(request, ErrorCode.INVALID_REQUIRED_ACKS));
    }
    const appended: PartitionState[] = [];
    const body = response(request, (t, p) => {
      const partition = cluster.partition(t.name, p.index);
      const result = append(cluster, request, partition, p.records ?? null);
      if (result.errorCode === ErrorCode.NONE && partition !== undefined) appended.push(partition);
      return partitionResponse(p.index, result, partition);
    });
    // Waiting fetches wake only once the whole request is in the log.
    for (const partition of new Set(appended)) cluster.appended$.next(partition);
    return of(acks === 0 ? undefined : body);
  },
  errorResponse(request, errorCode) {
    if (request.body.acks === 0) return undefined;
    return response(request, (_t, p) =>
      partitionResponse(p.index, { errorCode, baseOffset: -1n }, undefined),
    );
  },
};
