import { map, type Observable } from 'rxjs';
import type { KafkaRxError } from '../errors';
import { OffsetCommit } from '../protocol/specs';
import type { AdminContext } from './admin-context';
import { coordinatorRequest } from './coordinator-request';
import { partitionResults } from './partition-results';
import { retryItems } from './retry-items';
import { groupByTopic, type PartitionOf } from './topic-partition';

export interface OffsetToCommit extends PartitionOf {
  /** The next record the group should read. */
  readonly offset: bigint | number;
  readonly metadata?: string | null;
}

export interface AlteredOffset extends PartitionOf {
  readonly offset: bigint;
  readonly error?: KafkaRxError;
}

/**
 * OffsetCommit to the group's coordinator, as an outsider (generation -1, no member id): Kafka
 * accepts it only while the group has no members (otherwise UNKNOWN_MEMBER_ID per partition).
 * One result per offset, in the order given.
 */
export function alterOffsets$(
  ctx: AdminContext,
  groupId: string,
  offsets: readonly OffsetToCommit[],
): Observable<AlteredOffset[]> {
  const send = (batch: readonly OffsetToCommit[]): Observable<AlteredOffset[]> =>
    coordinatorRequest(
      ctx,
      groupId,
      OffsetCommit,
      {
        groupId,
        generationIdOrMemberEpoch: -1,
        memberId: '',
        groupInstanceId: null,
        retentionTimeMs: -1n,
        topics: groupByTopic(batch).map(([name, list]) => ({
          name,
          partitions: list.map((o) => ({
            partitionIndex: o.partition,
            committedOffset: BigInt(o.offset),
            committedLeaderEpoch: -1,
            committedMetadata: o.metadata ?? null,
          })),
        })),
      },
      // OffsetCommit has no group-level error code: a coordinator error shows on every partition.
      (r) => r.topics[0]?.partitions[0]?.errorCode ?? 0,
    ).pipe(
      map((response) =>
        partitionResults(
          batch,
          response.topics,
          ({ topic, partition, offset }) => ({ topic, partition, offset: BigInt(offset) }),
          ({ topic, partition, offset }, error) => ({ topic, partition, offset: BigInt(offset), error }),
        ),
      ),
    );
  return retryItems(offsets, send, ctx.retry);
}
