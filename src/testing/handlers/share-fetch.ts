import { filter, merge, Observable, of, timer } from 'rxjs';
import { ErrorCode } from '../../protocol/errors';
import { ShareFetch } from '../../protocol/specs';
import type { ResponseBodyOf } from '../../protocol/spec-types';
import type { ClusterState } from '../broker-state/cluster-state';
import type { PartitionState } from '../broker-state/topic';
import type { AcquiredRange } from '../share-group-coordinator/acquired-ranges';
import { ShareSessionEpoch } from '../share-group-coordinator/share-session-cache';
import { shareErrorResponse, shareRequestRefusal } from './share-request-check';
import type { ApiHandler, BrokerRequest } from './handler';
import { currentLeader } from './partition-access';
import {
  acknowledgePartition,
  releaseSessionRecords,
  sharePartitionTarget,
  type SharePartitionTarget,
} from './share-partition-target';

type Response = ResponseBodyOf<typeof ShareFetch>;
type PartitionData = Response['responses'][number]['partitions'][number];

const EMPTY = Buffer.alloc(0);
// ShareAcquireMode (v2): 0 acquires whole batches, 1 at most maxRecords records.
const RECORD_LIMIT_MODE = 1;

function errorResponse(errorCode: number, errorMessage: string | null = null): Response {
  return shareErrorResponse(errorCode, errorMessage);
}

interface PartitionAnswer {
  readonly target: SharePartitionTarget;
  acknowledgeErrorCode: number;
  fetched: boolean;
  records: Buffer;
  ranges: AcquiredRange[];
}

const keyOf = (topicId: string, index: number) => `${topicId}:${index}`;

function response(lockMs: number, answers: Iterable<PartitionAnswer>): Response {
  const topics = new Map<string, PartitionData[]>();
  for (const a of answers) {
    const data: PartitionData = {
      partitionIndex: a.target.index,
      errorCode: a.fetched ? a.target.errorCode : ErrorCode.NONE,
      errorMessage: null,
      acknowledgeErrorCode: a.acknowledgeErrorCode,
      acknowledgeErrorMessage: null,
      currentLeader: currentLeader(a.target.partition),
      records: a.records,
      acquiredRecords: a.ranges,
    };
    topics.set(a.target.topicId, [...(topics.get(a.target.topicId) ?? []), data]);
  }
  return {
    throttleTimeMs: 0,
    errorCode: ErrorCode.NONE,
    errorMessage: null,
    acquisitionLockTimeoutMs: lockMs,
    responses: [...topics].map(([topicId, partitions]) => ({ topicId, partitions })),
    nodeEndpoints: [],
  };
}

/** Acquires for the member from each partition to fetch, within one maxRecords budget; true when any record was. */
function acquire(
  request: BrokerRequest<typeof ShareFetch>,
  cluster: ClusterState,
  answers: readonly PartitionAnswer[],
): boolean {
  const { body } = request;
  const batchMode = !(request.version >= 2 && body.shareAcquireMode === RECORD_LIMIT_MODE);
  let budget = body.maxRecords > 0 ? body.maxRecords : 500;
  let bytes = body.maxBytes;
  let any = false;
  for (const a of answers) {
    if (!a.fetched || a.target.errorCode !== ErrorCode.NONE || budget <= 0) continue;
    const sp = cluster.sharePartitions.sharePartition(
      body.groupId ?? '',
      a.target.partition as PartitionState,
    );
    const got = sp.acquire(body.memberId ?? '', budget, batchMode, Math.max(bytes, 1));
    if (got.ranges.length === 0) continue;
    a.records = got.records;
    a.ranges = got.ranges;
    for (const r of got.ranges) budget -= Number(r.lastOffset - r.firstOffset + 1n);
    bytes -= got.records.length;
    any = true;
  }
  return any;
}

/**
 * ShareFetch (key 78, v1-2): acknowledges the batches it carries (piggybacked), then acquires
 * records for the member from every partition of its share session, returned as whole batches
 * with the AcquiredRecords ranges and their delivery counts; at most maxRecords in record-limit
 * mode (v2, ShareAcquireMode 1), whole batches otherwise. Epoch 0 opens the member's share session
 * (and may not acknowledge), -1 ends it (releasing what the member still holds), any other must
 * be the session's next. With nothing to acquire it waits up to maxWaitMs on the clock for records
 * to be produced or to become available again (a release, an expired lock).
 */
export const shareFetchHandler: ApiHandler<typeof ShareFetch> = {
  api: ShareFetch,
  handle(request, cluster) {
    const { body, nodeId } = request;
    const groupId = body.groupId ?? '';
    const memberId = body.memberId ?? '';
    const refusal = shareRequestRefusal(cluster, groupId, memberId);
    if (refusal !== null) return of(errorResponse(refusal.errorCode, refusal.message));
    const epoch = body.shareSessionEpoch;
    const acknowledging = body.topics.some((t) =>
      t.partitions.some((p) => p.acknowledgementBatches.length > 0),
    );
    if (epoch === ShareSessionEpoch.INITIAL && acknowledging)
      return of(
        errorResponse(ErrorCode.INVALID_REQUEST, 'Acknowledge data present in the initial ShareFetch.'),
      );
    const verdict = cluster.sharePartitions.sessions.open(nodeId, groupId, memberId, epoch, true);
    if (!('session' in verdict)) return of(errorResponse(verdict.errorCode));
    const { session, final } = verdict;

    // The session's partitions: those named are added, forgotten ones dropped.
    for (const t of body.forgottenTopicsData)
      for (const p of t.partitions) session.partitions.delete(keyOf(t.topicId, p));
    const answers = new Map<string, PartitionAnswer>();
    const answer = (topicId: string, index: number): PartitionAnswer => {
      const key = keyOf(topicId, index);
      let a = answers.get(key);
      if (a === undefined) {
        a = {
          target: sharePartitionTarget(cluster, nodeId, topicId, index),
          acknowledgeErrorCode: ErrorCode.NONE,
          fetched: false,
          records: EMPTY,
          ranges: [],
        };
        answers.set(key, a);
      }
      return a;
    };
    for (const t of body.topics)
      for (const p of t.partitions) {
        if (!final) session.partitions.add(keyOf(t.topicId, p.partitionIndex));
        if (p.acknowledgementBatches.length === 0) continue;
        const a = answer(t.topicId, p.partitionIndex);
        a.acknowledgeErrorCode = acknowledgePartition(
          cluster,
          a.target,
          groupId,
          memberId,
          p.acknowledgementBatches,
          body.isRenewAck === true,
        );
      }
    if (final) releaseSessionRecords(cluster, nodeId, groupId, memberId, session.partitions);
    cluster.sharePartitions.sessions.done(session, final);
    const lockMs = cluster.sharePartitions.settings(groupId).lockDurationMs;
    // A renewal or the end of the session fetches nothing.
    if (final || body.isRenewAck === true) return of(response(lockMs, answers.values()));
    for (const key of session.partitions) {
      const [topicId, index] = key.split(':');
      answer(topicId, Number(index)).fetched = true;
    }
    const list = [...answers.values()];
    return new Observable<Response>((subscriber) => {
      const fetchable = list.filter((a) => a.fetched && a.target.errorCode === ErrorCode.NONE);
      const failed = list.some((a) => a.fetched && a.target.errorCode !== ErrorCode.NONE);
      if (acquire(request, cluster, list) || failed || body.maxWaitMs <= 0 || fetchable.length === 0) {
        subscriber.next(response(lockMs, list));
        subscriber.complete();
        return undefined;
      }
      const partitions = new Set(fetchable.map((a) => a.target.partition));
      const shared = fetchable.map((a) =>
        cluster.sharePartitions.sharePartition(groupId, a.target.partition as PartitionState),
      );
      return merge(
        cluster.appended$.pipe(filter((p) => partitions.has(p))),
        ...shared.map((sp) => sp.released$),
        timer(body.maxWaitMs, cluster.clock),
      ).subscribe((wake) => {
        const expired = typeof wake === 'number';
        if (acquire(request, cluster, list) || expired) {
          subscriber.next(response(lockMs, list));
          subscriber.complete();
        }
      });
    });
  },
  errorResponse: (_request, errorCode) => errorResponse(errorCode),
};
