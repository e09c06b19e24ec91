import { ErrorCode } from '../../protocol/errors';
import type { PartitionState } from '../broker-state/topic';

/**
 * Whether broker `nodeId` may serve this partition now, as Kafka's ReplicaManager checks it:
 * the partition exists, this broker leads it, and the client's leader epoch (when it sends
 * one, -1 otherwise) is the current one.
 */
export function partitionAccessError(
  partition: PartitionState | undefined,
  nodeId: number,
  currentLeaderEpoch = -1,
): number {
  if (partition === undefined) return ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
  if (partition.leader === -1) return ErrorCode.LEADER_NOT_AVAILABLE;
  if (currentLeaderEpoch >= 0 && currentLeaderEpoch < partition.leaderEpoch)
    return ErrorCode.FENCED_LEADER_EPOCH;
  if (currentLeaderEpoch > partition.leaderEpoch) return ErrorCode.UNKNOWN_LEADER_EPOCH;
  if (partition.leader !== nodeId) return ErrorCode.NOT_LEADER_OR_FOLLOWER;
  return ErrorCode.NONE;
}

/** The tagged CurrentLeader of Produce and Fetch responses, telling the client who leads now. */
export function currentLeader(partition: PartitionState | undefined): {
  leaderId: number;
  leaderEpoch: number;
} {
  return partition === undefined
    ? { leaderId: -1, leaderEpoch: -1 }
    : { leaderId: partition.leader, leaderEpoch: partition.leaderEpoch };
}
