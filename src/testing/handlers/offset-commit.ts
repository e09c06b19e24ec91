import { of } from 'rxjs';
import { ErrorCode } from '../../protocol/errors';
import { OffsetCommit } from '../../protocol/specs';
import type { OffsetToCommit } from '../group-coordinator/offset-to-commit';
import { commitToConsumerGroup } from './consumer-group-offsets';
import { coordinatorError } from './coordinator-check';
import type { ApiHandler } from './handler';

/** Kafka's offset.metadata.max.bytes. */
const MAX_METADATA_LENGTH = 4096;

/** The shape OffsetCommit and TxnOffsetCommit answers share. */
interface OffsetCommitAnswer {
  readonly throttleTimeMs: number;
  readonly topics: ReadonlyArray<{
    readonly name: string;
    readonly partitions: ReadonlyArray<{ readonly partitionIndex: number; readonly errorCode: number }>;
  }>;
}

/** An OffsetCommit or TxnOffsetCommit answer: every partition asked, with its error code. */
export function offsetCommitResponse<P extends { readonly partitionIndex: number }>(
  request: {
    readonly body: {
      readonly topics: ReadonlyArray<{ readonly name: string; readonly partitions: readonly P[] }>;
    };
  },
  codeOf: (topic: string, partition: P) => number,
): OffsetCommitAnswer {
  return {
    throttleTimeMs: 0,
    topics: request.body.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => ({
        partitionIndex: p.partitionIndex,
        errorCode: codeOf(t.name, p),
      })),
    })),
  };
}

/**
 * OffsetCommit (key 8): stores offsets for a group. Partitions that do not exist and oversized
 * metadata fail on their own; the rest share the group's verdict (generation, member, state).
 */
export const offsetCommitHandler: ApiHandler<typeof OffsetCommit> = {
  api: OffsetCommit,
  handle(request, cluster) {
    const { body } = request;
    const notCoordinator = coordinatorError(request, cluster, body.groupId);
    if (notCoordinator !== ErrorCode.NONE) return of(offsetCommitResponse(request, () => notCoordinator));
    const own = new Map<(typeof body.topics)[number]['partitions'][number], number>();
    const valid: OffsetToCommit[] = [];
    for (const t of body.topics) {
      for (const p of t.partitions) {
        if (cluster.partition(t.name, p.partitionIndex) === undefined) {
          own.set(p, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
        } else if (
          p.committedMetadata !== null &&
          Buffer.byteLength(p.committedMetadata) > MAX_METADATA_LENGTH
        ) {
          own.set(p, ErrorCode.OFFSET_METADATA_TOO_LARGE);
        } else {
          valid.push({
            topic: t.name,
            partition: p.partitionIndex,
            offset: p.committedOffset,
            leaderEpoch: p.committedLeaderEpoch ?? -1,
            metadata: p.committedMetadata,
          });
        }
      }
    }
    const member = {
      groupId: body.groupId,
      generationId: body.generationIdOrMemberEpoch ?? -1,
      memberId: body.memberId ?? '',
      groupInstanceId: body.groupInstanceId ?? null,
    };
    const groupCode = cluster.consumerGroups.has(body.groupId)
      ? commitToConsumerGroup(cluster, member, request.version, valid)
      : cluster.coordinator.commitOffsets(member, valid);
    return of(offsetCommitResponse(request, (_topic, p) => own.get(p) ?? groupCode));
  },
  errorResponse: (request, errorCode) => offsetCommitResponse(request, () => errorCode),
};
