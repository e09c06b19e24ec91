import { defer, map, mergeMap, type Observable, tap } from 'rxjs';
import type { Cluster, CoordinatorType } from '../cluster/cluster';
import { coordinatorMoved } from '../cluster/errors';
import { retryWithBackoff } from '../cluster/retry-with-backoff';
import { ErrorCode } from '../protocol/errors';
import type { ApiSpec } from '../protocol/spec';
import type { RequestOf, ResponseOf } from '../protocol/spec-types';
import { AddPartitionsToTxn } from '../protocol/specs/add-partitions-to-txn';
import type { TxnOffsetCommit } from '../protocol/specs/txn-offset-commit';
import type { RequestBody } from '../transport/transport';
import { brokerError } from './errors';
import { producerBackoff } from './producer-backoff';
import type { ProducerIdentity } from './producer-batch';
import type { GroupMetadata, TransactionOffset } from './transaction-types';

/**
 * AddPartitionsToTxn as a client speaks it: v4+ batches several transactions and is meant for
 * brokers (Kafka refuses it from clients without CLUSTER_ACTION), so clients stop at v3.
 */
export const AddPartitionsToTxnClient = { ...AddPartitionsToTxn, maxVersion: 3 } as const;

/** Topic names with their partitions, in first-seen order. */
function byTopic<T extends { topic: string }>(items: readonly T[]): Map<string, T[]> {
  const topics = new Map<string, T[]>();
  for (const item of items) {
    const list = topics.get(item.topic);
    if (list) list.push(item);
    else topics.set(item.topic, [item]);
  }
  return topics;
}

/** AddPartitionsToTxn: the v0-3 client form, or (should a broker negotiate it) the v4+ `transactions` form. */
export function addPartitionsBody(
  transactionalId: string,
  identity: ProducerIdentity,
  partitions: readonly { topic: string; partition: number }[],
): RequestBody<typeof AddPartitionsToTxnClient> {
  const topics = [...byTopic(partitions)].map(([name, list]) => ({
    name,
    partitions: list.map((p) => p.partition),
  }));
  return (version) =>
    version >= 4
      ? {
          transactions: [{ transactionalId, ...identity, verifyOnly: false, topics }],
        }
      : {
          v3AndBelowTransactionalId: transactionalId,
          v3AndBelowProducerId: identity.producerId,
          v3AndBelowProducerEpoch: identity.producerEpoch,
          v3AndBelowTopics: topics,
        };
}

/** The first partition error of an AddPartitionsToTxn response (OPERATION_NOT_ATTEMPTED only when alone). */
export function addPartitionsError(response: ResponseOf<typeof AddPartitionsToTxnClient>): number {
  if (response.errorCode) return response.errorCode;
  const topics =
    response.resultsByTopicV3AndBelow ??
    (response.resultsByTransaction ?? []).flatMap((t) => t.topicResults ?? []);
  const codes = topics.flatMap((t) => (t.resultsByPartition ?? []).map((p) => p.partitionErrorCode));
  return firstError(codes);
}

export function txnOffsetCommitBody(
  transactionalId: string,
  identity: ProducerIdentity,
  offsets: readonly TransactionOffset[],
  group: GroupMetadata,
): RequestOf<typeof TxnOffsetCommit> {
  return {
    transactionalId,
    groupId: group.groupId,
    producerId: identity.producerId,
    producerEpoch: identity.producerEpoch,
    generationId: group.generationId,
    memberId: group.memberId,
    groupInstanceId: group.groupInstanceId,
    topics: [...byTopic(offsets)].map(([name, list]) => ({
      name,
      partitions: list.map((o) => ({
        partitionIndex: o.partition,
        committedOffset: o.offset,
        committedLeaderEpoch: -1,
        committedMetadata: '',
      })),
    })),
  };
}

/** The first partition error of a TxnOffsetCommit response. */
export function txnOffsetCommitError(response: ResponseOf<typeof TxnOffsetCommit>): number {
  return firstError((response.topics ?? []).flatMap((t) => (t.partitions ?? []).map((p) => p.errorCode)));
}

function firstError(codes: readonly number[]): number {
  return (
    codes.find((c) => c !== 0 && c !== ErrorCode.OPERATION_NOT_ATTEMPTED) ?? codes.find((c) => c !== 0) ?? 0
  );
}

export interface CoordinatorRequest<A extends ApiSpec> {
  readonly key: string;
  readonly type: CoordinatorType;
  readonly api: A;
  readonly body: RequestBody<A>;
  /** What the request is about, for error messages. */
  readonly what: string;
  /** The error code the response carries (0 for none). */
  readonly errorOf: (response: ResponseOf<A>) => number;
  readonly retryBackoffMs: number;
  /** Retriable errors are retried for up to this long. */
  readonly maxBlockMs: number;
}

/**
 * A request to a group or transaction coordinator whose response error codes become errors.
 * Retriable ones (CONCURRENT_TRANSACTIONS, COORDINATOR_LOAD_IN_PROGRESS, a dropped connection...)
 * are retried after `retryBackoffMs` on the clock, for up to `maxBlockMs`; NOT_COORDINATOR and
 * COORDINATOR_NOT_AVAILABLE look the coordinator up again first.
 */
export function coordinatorRequest$<A extends ApiSpec>(
  cluster: Cluster,
  request: CoordinatorRequest<A>,
): Observable<ResponseOf<A>> {
  const { key, type } = request;
  return defer(() => cluster.coordinator(key, type)).pipe(
    mergeMap((coordinator) => cluster.request(coordinator, request.api, request.body)),
    map((response) => {
      const code = request.errorOf(response);
      if (code !== 0) throw brokerError(code, request.what);
      return response;
    }),
    tap({
      error: (error: { code?: number }) => {
        if (coordinatorMoved(error.code)) cluster.coordinatorDead(key, type);
      },
    }),
    retryWithBackoff({
      clock: cluster.clock,
      backoff: producerBackoff(request.retryBackoffMs),
      maxElapsedMs: request.maxBlockMs,
    }),
  );
}
