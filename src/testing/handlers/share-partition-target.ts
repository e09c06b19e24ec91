import { ErrorCode } from '../../protocol/errors';
import type { ClusterState } from '../broker-state/cluster-state';
import type { PartitionState } from '../broker-state/topic';
import type { AcknowledgementBatch } from '../share-group-coordinator/share-partition';
import { partitionAccessError } from './partition-access';

/** A partition a ShareFetch or ShareAcknowledge names, resolved, with the error serving it would give. */
export interface SharePartitionTarget {
  readonly topicId: string;
  readonly index: number;
  readonly partition: PartitionState | undefined;
  /** UNKNOWN_TOPIC_ID, NOT_LEADER_OR_FOLLOWER, ...; NONE when this broker serves it. */
  readonly errorCode: number;
}

export function sharePartitionTarget(
  cluster: ClusterState,
  nodeId: number,
  topicId: string,
  index: number,
): SharePartitionTarget {
  const topic = cluster.topicById(topicId);
  if (topic === undefined)
    return { topicId, index, partition: undefined, errorCode: ErrorCode.UNKNOWN_TOPIC_ID };
  const partition = topic.partitions[index];
  return { topicId, index, partition, errorCode: partitionAccessError(partition, nodeId) };
}

/** Applies one partition's acknowledgement batches for a member; the partition's acknowledge error code. */
export function acknowledgePartition(
  cluster: ClusterState,
  target: SharePartitionTarget,
  groupId: string,
  memberId: string,
  batches: readonly AcknowledgementBatch[],
  isRenewAck: boolean,
): number {
  if (target.errorCode !== ErrorCode.NONE) return target.errorCode;
  const sp = cluster.sharePartitions.sharePartition(groupId, target.partition as PartitionState);
  return sp.acknowledge(memberId, batches, isRenewAck);
}

/** A share session ended (epoch -1): what the member still holds in its partitions goes back to the group. */
export function releaseSessionRecords(
  cluster: ClusterState,
  nodeId: number,
  groupId: string,
  memberId: string,
  sessionPartitions: Iterable<string>,
): void {
  for (const key of sessionPartitions) {
    const [topicId, index] = key.split(':');
    const target = sharePartitionTarget(cluster, nodeId, topicId, Number(index));
    if (target.partition !== undefined)
      cluster.sharePartitions.sharePartition(groupId, target.partition).releaseMember(memberId);
  }
}
