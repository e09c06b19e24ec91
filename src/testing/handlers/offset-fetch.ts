import { of } from 'rxjs';
import { ErrorCode } from '../../protocol/errors';
import { OffsetFetch } from '../../protocol/specs';
import type { ResponseBodyOf } from '../../protocol/spec-types';
import type { ClusterState } from '../broker-state/cluster-state';
import { coordinatorError } from './coordinator-check';
import type { ApiHandler, BrokerRequest } from './handler';

interface GroupQuery {
  readonly groupId: string;
  /** null: every partition the group has offsets for. */
  readonly topics: ReadonlyArray<{ name: string; partitionIndexes: readonly number[] }> | null;
  /** v9+: who asks, for a consumer group's member epoch check; '' and -1 otherwise. */
  readonly memberId: string;
  readonly memberEpoch: number;
}

/** One topic's offsets, as v0-7 and v8+ responses both carry them. */
interface TopicAnswer {
  readonly name: string;
  readonly partitions: ReadonlyArray<{
    partitionIndex: number;
    committedOffset: bigint;
    committedLeaderEpoch: number;
    metadata: string | null;
    errorCode: number;
  }>;
}

interface GroupAnswer {
  readonly errorCode: number;
  readonly topics: readonly TopicAnswer[];
}

function queries(request: BrokerRequest<typeof OffsetFetch>): GroupQuery[] {
  if (request.version >= 8) {
    return (request.body.groups ?? []).map((g) => ({
      groupId: g.groupId,
      topics: g.topics ?? null,
      memberId: g.memberId ?? '',
      memberEpoch: g.memberEpoch ?? -1,
    }));
  }
  // groupId and topics are the v0-7 request's.
  return [
    {
      groupId: request.body.groupId ?? '',
      topics: request.body.topics ?? null,
      memberId: '',
      memberEpoch: -1,
    },
  ];
}

function fetchGroup(
  request: BrokerRequest<typeof OffsetFetch>,
  cluster: ClusterState,
  query: GroupQuery,
): GroupAnswer {
  const errorCode = coordinatorError(request, cluster, query.groupId);
  if (errorCode !== ErrorCode.NONE) return { errorCode, topics: [] };
  if (cluster.consumerGroups.has(query.groupId)) {
    const memberCode = cluster.consumerGroups.validateOffsetFetch(
      query.groupId,
      query.memberId,
      query.memberEpoch,
    );
    if (memberCode !== ErrorCode.NONE) return { errorCode: memberCode, topics: [] };
  }
  const committed = cluster.coordinator.committedOffsets(query.groupId);
  const wanted =
    query.topics ??
    [...committed.entries()].map(([name, partitions]) => ({
      name,
      partitionIndexes: [...partitions.keys()],
    }));
  const topics = wanted.map(({ name, partitionIndexes }) => ({
    name,
    partitions: partitionIndexes.map((partitionIndex) => {
      const offset = committed.get(name)?.get(partitionIndex);
      return {
        partitionIndex,
        // No offset yet: -1 and empty metadata, as Kafka answers.
        committedOffset: offset?.offset ?? -1n,
        committedLeaderEpoch: offset?.leaderEpoch ?? -1,
        metadata: offset === undefined ? '' : offset.metadata,
        errorCode: ErrorCode.NONE,
      };
    }),
  }));
  return { errorCode: ErrorCode.NONE, topics };
}

function response(
  request: BrokerRequest<typeof OffsetFetch>,
  answers: GroupAnswer[],
): ResponseBodyOf<typeof OffsetFetch> {
  if (request.version >= 8) {
    return {
      throttleTimeMs: 0,
      groups: queries(request).map((q, i) => ({
        groupId: q.groupId,
        topics: answers[i].topics,
        errorCode: answers[i].errorCode,
      })),
    };
  }
  const [answer] = answers;
  if (request.version < 2 && answer.errorCode !== ErrorCode.NONE) {
    // v1 has no group-level error: every asked partition carries it.
    const topics = (queries(request)[0].topics ?? []).map(({ name, partitionIndexes }) => ({
      name,
      partitions: partitionIndexes.map((partitionIndex) => ({
        partitionIndex,
        committedOffset: -1n,
        committedLeaderEpoch: -1,
        metadata: '',
        errorCode: answer.errorCode,
      })),
    }));
    return { throttleTimeMs: 0, topics, errorCode: answer.errorCode };
  }
  return { throttleTimeMs: 0, topics: answer.topics, errorCode: answer.errorCode };
}

/** OffsetFetch (key 9): a group's committed offsets; v8+ asks for several groups at once. */
export const offsetFetchHandler: ApiHandler<typeof OffsetFetch> = {
  api: OffsetFetch,
  handle(request, cluster) {
    return of(
      response(
        request,
        queries(request).map((q) => fetchGroup(request, cluster, q)),
      ),
    );
  },
  errorResponse: (request, errorCode) =>
    response(
      request,
      queries(request).map(() => ({ errorCode, topics: [] })),
    ),
};
