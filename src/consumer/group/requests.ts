import type { RequestOf, ResponseOf } from '../../protocol/spec-types';
import type {
  Heartbeat,
  JoinGroup,
  LeaveGroup,
  ListOffsets,
  OffsetCommit,
  OffsetFetch,
  SyncGroup,
} from '../../protocol/specs';
import type { RequestBody } from '../../transport/transport';
import type { ResolvedConsumerConfig } from '../config';
import type { MembershipState } from '../membership/state';
import { groupByTopic } from '../topic-partition';
import type { TopicPartition, TopicPartitionOffset } from '../types';

/**
 * Request bodies of the classic group protocol, keyed by Kafka's field names (camelCase). Bodies
 * whose shape changed across versions are functions of the negotiated version.
 */

type GroupConfig = Pick<
  ResolvedConsumerConfig,
  'groupId' | 'sessionTimeoutMs' | 'rebalanceTimeoutMs' | 'groupInstanceId'
>;

export function joinGroupBody(
  config: GroupConfig,
  state: MembershipState,
  protocols: ReadonlyArray<{ name: string; metadata: Buffer }>,
): RequestBody<typeof JoinGroup> {
  return {
    groupId: config.groupId,
    sessionTimeoutMs: config.sessionTimeoutMs,
    rebalanceTimeoutMs: config.rebalanceTimeoutMs,
    memberId: state.memberId,
    groupInstanceId: config.groupInstanceId,
    protocolType: 'consumer',
    protocols: protocols.map((p) => ({ name: p.name, metadata: p.metadata })),
    reason: state.reason,
  };
}

export function syncGroupBody(
  config: GroupConfig,
  state: MembershipState,
  assignments: ReadonlyArray<{ memberId: string; assignment: Buffer }>,
): RequestBody<typeof SyncGroup> {
  return {
    groupId: config.groupId,
    generationId: state.generationId,
    memberId: state.memberId,
    groupInstanceId: config.groupInstanceId,
    protocolType: 'consumer',
    protocolName: state.protocolName,
    assignments: assignments.map((a) => ({ memberId: a.memberId, assignment: a.assignment })),
  };
}

export function heartbeatBody(config: GroupConfig, state: MembershipState): RequestBody<typeof Heartbeat> {
  return {
    groupId: config.groupId,
    generationId: state.generationId,
    memberId: state.memberId,
    groupInstanceId: config.groupInstanceId,
  };
}

/** LeaveGroup: v0-2 name one member; v3+ (KIP-345) a list of members with their instance ids. */
export function leaveGroupBody(
  config: GroupConfig,
  memberId: string,
  reason: string,
): RequestBody<typeof LeaveGroup> {
  return (version: number): RequestOf<typeof LeaveGroup> =>
    version < 3
      ? { groupId: config.groupId, memberId }
      : { groupId: config.groupId, members: [{ memberId, groupInstanceId: config.groupInstanceId, reason }] };
}

export function offsetCommitBody(
  config: GroupConfig,
  generationId: number,
  memberId: string,
  offsets: readonly TopicPartitionOffset[],
): RequestBody<typeof OffsetCommit> {
  return {
    groupId: config.groupId,
    generationIdOrMemberEpoch: generationId,
    memberId,
    groupInstanceId: config.groupInstanceId,
    retentionTimeMs: -1n,
    topics: groupByTopic(offsets).map(({ topic, items }) => ({
      name: topic,
      partitions: items.map((o) => ({
        partitionIndex: o.partition,
        committedOffset: o.offset,
        committedLeaderEpoch: -1,
        commitTimestamp: -1n,
        committedMetadata: '',
      })),
    })),
  };
}

/** Who asks in OffsetFetch v9+ (consumer group protocol): the coordinator checks the member epoch. */
export interface OffsetFetchMember {
  readonly memberId: string;
  readonly memberEpoch: number;
}

/**
 * OffsetFetch: v8+ batches groups; v7+ asks for stable offsets (no pending transactional commits);
 * v9+ names the member of a consumer group protocol group (null and -1: anyone may ask).
 */
export function offsetFetchBody(
  groupId: string,
  partitions: readonly TopicPartition[],
  member: OffsetFetchMember | null = null,
): RequestBody<typeof OffsetFetch> {
  const topics = groupByTopic(partitions).map(({ topic, items }) => ({
    name: topic,
    partitionIndexes: items.map((tp) => tp.partition),
  }));
  return (version: number): RequestOf<typeof OffsetFetch> =>
    version < 8
      ? { groupId, topics, requireStable: true }
      : {
          groups: [
            { groupId, memberId: member?.memberId ?? null, memberEpoch: member?.memberEpoch ?? -1, topics },
          ],
          requireStable: true,
        };
}

/** The committed offsets in an OffsetFetch response, whatever its version, with the group-level error. */
export function offsetFetchResult(response: ResponseOf<typeof OffsetFetch>): {
  errorCode: number;
  partitions: Array<{ topic: string; partition: number; offset: bigint; errorCode: number }>;
} {
  const group = response.groups !== undefined ? response.groups[0] : response;
  const partitions: Array<{ topic: string; partition: number; offset: bigint; errorCode: number }> = [];
  for (const t of group?.topics ?? []) {
    for (const p of t.partitions) {
      partitions.push({
        topic: t.name,
        partition: p.partitionIndex,
        offset: BigInt(p.committedOffset),
        errorCode: p.errorCode,
      });
    }
  }
  return { errorCode: group?.errorCode ?? 0, partitions };
}

/** ListOffsets timestamps: -2 asks for the earliest offset, -1 for the latest. */
export const EARLIEST_TIMESTAMP = -2n;
export const LATEST_TIMESTAMP = -1n;

export function listOffsetsBody(
  partitions: readonly TopicPartition[],
  timestamp: bigint,
  isolationLevel: 0 | 1,
): RequestBody<typeof ListOffsets> {
  return {
    replicaId: -1,
    isolationLevel,
    topics: groupByTopic(partitions).map(({ topic, items }) => ({
      name: topic,
      partitions: items.map((tp) => ({
        partitionIndex: tp.partition,
        currentLeaderEpoch: -1,
        timestamp,
        maxNumOffsets: 1,
      })),
    })),
    timeoutMs: 30000,
  };
}
