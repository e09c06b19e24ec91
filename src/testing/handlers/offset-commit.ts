import { of } from 'rxjs';
import { ErrorCode } from '../../protocol/errors';
import { OffsetCommit } from '../../protocol/specs';
import type { Message } from '../../protocol/spec';
import type { OffsetToCommit } from '../group-coordinator/group-coordinator';
import { coordinatorError } from './coordinator-check';
import type { ApiHandler, BrokerRequest } from './handler';

/** Kafka's offset.metadata.max.bytes. */
const MAX_METADATA_LENGTH = 4096;

/** An OffsetCommit or TxnOffsetCommit answer: every partition asked, with its error code. */
export function offsetCommitResponse(
  request: BrokerRequest,
  codeOf: (topic: string, partition: Message) => number,
): Message {
  return {
    throttleTimeMs: 0,
    topics: (request.body.topics as Message[]).map((t) => ({
      name: t.name,
      partitions: (t.partitions as Message[]).map((p) => ({
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
export const offsetCommitHandler: ApiHandler = {
  api: OffsetCommit,
  handle(request, cluster) {
    const { body } = request;
    const notCoordinator = coordinatorError(request, cluster, body.groupId);
    if (notCoordinator !== ErrorCode.NONE) return of(offsetCommitResponse(request, () => notCoordinator));
    const own = new Map<Message, number>();
    const valid: OffsetToCommit[] = [];
    for (const t of body.topics as Message[]) {
      for (const p of t.partitions as Message[]) {
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
    const groupCode = cluster.coordinator.commitOffsets(
      {
        groupId: body.groupId,
        generationId: body.generationIdOrMemberEpoch ?? -1,
        memberId: body.memberId ?? '',
        groupInstanceId: body.groupInstanceId ?? null,
      },
      valid,
    );
    return of(offsetCommitResponse(request, (_topic, p) => own.get(p) ?? groupCode));
  },
  errorResponse: (request, errorCode) => offsetCommitResponse(request, () => errorCode),
};
