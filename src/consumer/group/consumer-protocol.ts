import { decodeVersioned, encodeVersioned } from '../../protocol/codec';
import { ConsumerProtocolAssignment, ConsumerProtocolSubscription } from '../../protocol/specs';
import type { MemberSubscription, TopicPartitions } from '../assignors/assignor';
import type { JoinedMember } from '../membership/state';
import { groupByTopic, sortPartitions } from '../topic-partition';
import type { TopicPartition } from '../types';

/**
 * The subscription this member sends in JoinGroup. Version 1 (owned partitions) is read by every
 * client of the last years; cooperative members need version 2 (the generation of what they own).
 */
export function encodeSubscription(
  topics: readonly string[],
  owned: readonly TopicPartition[],
  generationId: number,
  userData: Buffer | null,
  cooperative: boolean,
): Buffer {
  return encodeVersioned(ConsumerProtocolSubscription, cooperative ? 2 : 1, {
    topics: [...topics].sort(),
    userData,
    ownedPartitions: groupByTopic(sortPartitions(owned)).map(({ topic, items }) => ({
      topic,
      partitions: items.map((tp) => tp.partition),
    })),
    generationId,
  });
}

/** A member's subscription as the leader reads it from JoinGroup. */
export function decodeSubscription(member: JoinedMember): MemberSubscription {
  const { version, body } = decodeVersioned(ConsumerProtocolSubscription, member.metadata);
  return {
    memberId: member.memberId,
    groupInstanceId: member.groupInstanceId,
    topics: body.topics,
    userData: body.userData ?? null,
    ownedPartitions: version >= 1 ? (body.ownedPartitions ?? []) : [],
    generationId: version >= 2 ? (body.generationId ?? -1) : -1,
  };
}

/** The assignment the leader sends for one member in SyncGroup (version 0: every client reads it). */
export function encodeAssignment(assigned: readonly TopicPartitions[]): Buffer {
  return encodeVersioned(ConsumerProtocolAssignment, 0, {
    assignedPartitions: assigned.map((a) => ({
      topic: a.topic,
      partitions: [...a.partitions].sort((x, y) => x - y),
    })),
    userData: null,
  });
}

/** This member's assignment from SyncGroup; empty bytes mean no partitions. */
export function decodeAssignment(bytes: Buffer | null): TopicPartition[] {
  if (bytes === null || bytes.length === 0) return [];
  const { body } = decodeVersioned(ConsumerProtocolAssignment, bytes);
  const out: TopicPartition[] = [];
  for (const a of body.assignedPartitions)
    for (const partition of a.partitions) out.push({ topic: a.topic, partition });
  return sortPartitions(out);
}
