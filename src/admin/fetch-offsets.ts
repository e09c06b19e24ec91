import { map, type Observable } from 'rxjs';
import type { KafkaRxError } from '../errors';
import type { RequestOf, ResponseOf } from '../protocol/spec-types';
import { OffsetFetch } from '../protocol/specs';
import type { AdminContext } from './admin-context';
import { coordinatorRequest } from './coordinator-request';
import { itemError } from './item-error';
import { byTopicPartition, groupByTopic, type PartitionOf } from './topic-partition';

export interface FetchOffsetsOptions {
  /** Only these partitions; default every partition the group has committed. */
  readonly partitions?: readonly PartitionOf[];
  /** Wait for transactional commits in flight to settle (OffsetFetch v7+). Default false. */
  readonly requireStable?: boolean;
}

export interface CommittedOffset extends PartitionOf {
  /** The committed offset: the next record the group will read; -1 when none is committed. */
  readonly offset: bigint;
  readonly leaderEpoch: number;
  readonly metadata: string | null;
  readonly error?: KafkaRxError;
}

/** The group's entry of an OffsetFetch response: v8+ nests it in `groups`, before it is the body. */
function groupEntry(
  version: number,
  groupId: string,
  response: ResponseOf<typeof OffsetFetch>,
): { readonly errorCode?: number; readonly topics?: ResponseOf<typeof OffsetFetch>['topics'] } {
  if (version < 8) return response;
  return response.groups?.find((g) => g.groupId === groupId) ?? { errorCode: -1, topics: [] };
}

/**
 * OffsetFetch to the group's coordinator: the group's committed offsets, sorted by topic and
 * partition. A group-level error (GROUP_AUTHORIZATION_FAILED, ...) rejects; a partition's error is
 * its own.
 */
export function fetchOffsets$(
  ctx: AdminContext,
  groupId: string,
  options: FetchOffsetsOptions = {},
): Observable<CommittedOffset[]> {
  let version = 0;
  const topics = options.partitions
    ? groupByTopic(options.partitions).map(([name, list]) => ({
        name,
        partitionIndexes: list.map((tp) => tp.partition),
      }))
    : null;
  const body = (v: number): RequestOf<typeof OffsetFetch> => {
    version = v;
    return v >= 8
      ? {
          groups: [{ groupId, memberId: null, memberEpoch: -1, topics }],
          requireStable: !!options.requireStable,
        }
      : { groupId, topics, requireStable: !!options.requireStable };
  };
  return coordinatorRequest(
    ctx,
    groupId,
    OffsetFetch,
    body,
    (r) => groupEntry(version, groupId, r).errorCode ?? 0,
  ).pipe(
    map((response) => {
      const entry = groupEntry(version, groupId, response);
      const error = itemError(entry.errorCode ?? 0, `group ${JSON.stringify(groupId)}`);
      if (error) throw error;
      return (entry.topics ?? [])
        .flatMap((t) =>
          t.partitions.map((p): CommittedOffset => {
            const partitionError = itemError(p.errorCode, `${t.name}-${p.partitionIndex}`);
            return {
              topic: t.name,
              partition: p.partitionIndex,
              offset: p.committedOffset,
              leaderEpoch: p.committedLeaderEpoch ?? -1,
              metadata: p.metadata ?? null,
              ...(partitionError ? { error: partitionError } : {}),
            };
          }),
        )
        .sort(byTopicPartition);
    }),
  );
}
