import { ErrorCode } from '../../protocol/errors';
import type { ClusterState } from '../broker-state/cluster-state';
import type { MemberIdentity } from '../group-coordinator/group-coordinator';
import type { OffsetToCommit } from '../group-coordinator/offset-to-commit';

/**
 * An OffsetCommit to a KIP-848 consumer group: the member epoch is checked by the consumer group
 * coordinator; the offsets are kept where the classic groups' are (as Kafka keeps both in
 * __consumer_offsets), stored as by a client outside group management.
 */
export function commitToConsumerGroup(
  cluster: ClusterState,
  member: MemberIdentity,
  version: number,
  offsets: readonly OffsetToCommit[],
): number {
  const verdict = cluster.consumerGroups.validateOffsetCommit(
    member.groupId,
    member.memberId,
    member.generationId,
    version,
  );
  if (verdict !== ErrorCode.NONE) return verdict;
  return cluster.coordinator.commitOffsets(
    { groupId: member.groupId, generationId: -1, memberId: '', groupInstanceId: null },
    offsets,
  );
}
