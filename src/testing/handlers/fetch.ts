import { filter, map, merge, Observable, timer } from 'rxjs';
import { ErrorCode } from '../../protocol/errors';
import { Fetch } from '../../protocol/specs';
import type { ResponseBodyOf } from '../../protocol/spec-types';
import type { ClusterState } from '../broker-state/cluster-state';
import type { PartitionState } from '../broker-state/topic';
import type { ApiHandler, BrokerRequest } from './handler';
import { currentLeader, partitionAccessError } from './partition-access';

const EMPTY = Buffer.alloc(0);

type FetchResponse = ResponseBodyOf<typeof Fetch>;
type PartitionData = FetchResponse['responses'][number]['partitions'][number];

interface FetchTarget {
  /** The topic as the request named it: by name (v0-12) or by id (v13+). */
  readonly topic: string;
  readonly topicId: string;
  readonly partition: PartitionState | undefined;
  /** The error for a topic id the cluster does not know (v13+). */
  readonly unknownTopicId: boolean;
  readonly index: number;
  readonly fetchOffset: bigint;
  readonly currentLeaderEpoch: number;
  readonly partitionMaxBytes: number;
}

function targets(request: BrokerRequest<typeof Fetch>, cluster: ClusterState): FetchTarget[] {
  const byId = request.version >= 13;
  return request.body.topics.flatMap((t) => {
    const topic = byId ? cluster.topicById(t.topicId ?? '') : cluster.topics.get(t.topic ?? '');
    return t.partitions.map((p) => ({
      topic: t.topic ?? '',
      topicId: t.topicId ?? '00000000-0000-0000-0000-000000000000',
      partition: topic?.partitions[p.partition],
      unknownTopicId: byId && topic === undefined,
      index: p.partition,
      fetchOffset: p.fetchOffset,
      currentLeaderEpoch: p.currentLeaderEpoch ?? -1,
      partitionMaxBytes: p.partitionMaxBytes,
    }));
  });
}

function partitionData(
  target: FetchTarget,
  errorCode: number,
  readCommitted: boolean,
  records: Buffer,
): PartitionData {
  const log = target.partition?.log;
  const failed = errorCode !== ErrorCode.NONE;
  const notLeader =
    errorCode === ErrorCode.NOT_LEADER_OR_FOLLOWER || errorCode === ErrorCode.FENCED_LEADER_EPOCH;
  // At read_committed, the aborted transactions among the returned offsets, so the consumer drops their records.
  const aborted =
    failed || log === undefined || !readCommitted
      ? []
      : log.transactions.abortedBetween(
          target.fetchOffset,
          log.offsetAfter(target.fetchOffset, records.length),
        );
  return {
    partitionIndex: target.index,
    errorCode,
    highWatermark: failed || log === undefined ? -1n : log.highWatermark,
    lastStableOffset: failed || log === undefined ? -1n : log.lastStableOffset,
    logStartOffset: failed || log === undefined ? -1n : log.logStartOffset,
    abortedTransactions: readCommitted ? aborted : null,
    preferredReadReplica: -1,
    records,
    ...(notLeader ? { currentLeader: currentLeader(target.partition) } : {}),
  };
}

/** Groups partition answers by topic, in the order the request named them. */
function responseBody(
  request: BrokerRequest<typeof Fetch>,
  list: FetchTarget[],
  parts: PartitionData[],
  errorCode: number = ErrorCode.NONE,
): FetchResponse {
  const responses: Array<{ topic: string; topicId: string; partitions: PartitionData[] }> = [];
  let current: (typeof responses)[number] | undefined;
  list.forEach((target, i) => {
    const key = request.version >= 13 ? target.topicId : target.topic;
    const currentKey =
      current === undefined ? undefined : request.version >= 13 ? current.topicId : current.topic;
    if (current === undefined || currentKey !== key) {
      current = { topic: target.topic, topicId: target.topicId, partitions: [] };
      responses.push(current);
    }
    current.partitions.push(parts[i]);
  });
  return { throttleTimeMs: 0, errorCode, sessionId: 0, responses };
}

interface FetchRead {
  readonly body: FetchResponse;
  readonly bytes: number;
  readonly failed: boolean;
}

/** Reads every partition now, within the request's byte limits. */
function read(request: BrokerRequest<typeof Fetch>, list: FetchTarget[]): FetchRead {
  const readCommitted = request.version >= 4 && request.body.isolationLevel === 1;
  let remaining: number = request.version >= 3 ? request.body.maxBytes : 0x7fffffff;
  let bytes = 0;
  let failed = false;
  const parts = list.map((target) => {
    const errorCode = target.unknownTopicId
      ? ErrorCode.UNKNOWN_TOPIC_ID
      : partitionAccessError(target.partition, request.nodeId, target.currentLeaderEpoch);
    if (errorCode !== ErrorCode.NONE) {
      failed = true;
      return partitionData(target, errorCode, readCommitted, EMPTY);
    }
    const log = (target.partition as PartitionState).log;
    if (target.fetchOffset < log.logStartOffset || target.fetchOffset > log.highWatermark) {
      failed = true;
      return partitionData(target, ErrorCode.OFFSET_OUT_OF_RANGE, readCommitted, EMPTY);
    }
    // The first non-empty partition may exceed the limits by one batch, so a consumer always progresses (KIP-74).
    const limit = bytes === 0 ? target.partitionMaxBytes : Math.min(target.partitionMaxBytes, remaining);
    // read_committed reads only below the last stable offset (no open transaction's records).
    const maxOffset = readCommitted ? log.lastStableOffset : log.highWatermark;
    const records =
      limit > 0 || bytes === 0 ? log.read(target.fetchOffset, Math.max(limit, 0), maxOffset) : EMPTY;
    bytes += records.length;
    remaining -= records.length;
    return partitionData(target, ErrorCode.NONE, readCommitted, records);
  });
  return { body: responseBody(request, list, parts), bytes, failed };
}

/**
 * Fetch (key 1): record batches from each partition's log as stored; at read_committed only below
 * the last stable offset, with the aborted transactions among them. The request waits on the
 * clock up to maxWaitMs until minBytes are available, and is answered as soon as a produce
 * brings them (or at once on an error). Fetch sessions are not kept: every response says
 * sessionId 0, which tells the client to send full fetches (KIP-227 allows it).
 */
export const fetchHandler: ApiHandler<typeof Fetch> = {
  api: Fetch,
  handle(request, cluster) {
    const { body, version } = request;
    if (version >= 7 && body.sessionId !== 0) {
      return new Observable((subscriber) => {
        subscriber.next(responseBody(request, [], [], ErrorCode.FETCH_SESSION_ID_NOT_FOUND));
        subscriber.complete();
      });
    }
    if (version >= 7 && body.sessionEpoch !== -1 && body.sessionEpoch !== 0) {
      return new Observable((subscriber) => {
        subscriber.next(responseBody(request, [], [], ErrorCode.INVALID_FETCH_SESSION_EPOCH));
        subscriber.complete();
      });
    }
    const list = targets(request, cluster);
    const watched = new Set(list.map((t) => t.partition).filter((p): p is PartitionState => p !== undefined));
    const ready = (r: FetchRead) =>
      r.failed || r.bytes >= body.minBytes || body.maxWaitMs <= 0 || watched.size === 0;
    return new Observable<FetchResponse>((subscriber) => {
      const first = read(request, list);
      if (ready(first)) {
        subscriber.next(first.body);
        subscriber.complete();
        return undefined;
      }
      const expired$ = timer(body.maxWaitMs, cluster.clock).pipe(map(() => true));
      const appended$ = cluster.appended$.pipe(
        filter((p) => watched.has(p)),
        map(() => false),
      );
      return merge(appended$, expired$).subscribe((expired) => {
        const again = read(request, list);
        if (expired || ready(again)) {
          subscriber.next(again.body);
          subscriber.complete();
        }
      });
    });
  },
  errorResponse(request, errorCode) {
    // Session errors are the response's own; any other error is each partition's.
    if (
      errorCode === ErrorCode.FETCH_SESSION_ID_NOT_FOUND ||
      errorCode === ErrorCode.INVALID_FETCH_SESSION_EPOCH
    ) {
      return responseBody(request, [], [], errorCode);
    }
    const readCommitted = request.version >= 4 && request.body.isolationLevel === 1;
    const list: FetchTarget[] = request.body.topics.flatMap((t) =>
      t.partitions.map((p) => ({
        topic: t.topic ?? '',
        topicId: t.topicId ?? '00000000-0000-0000-0000-000000000000',
        partition: undefined,
        unknownTopicId: false,
        index: p.partition,
        fetchOffset: p.fetchOffset,
        currentLeaderEpoch: -1,
        partitionMaxBytes: p.partitionMaxBytes,
      })),
    );
    return responseBody(
      request,
      list,
      list.map((t) => partitionData(t, errorCode, readCommitted, EMPTY)),
    );
  },
};
