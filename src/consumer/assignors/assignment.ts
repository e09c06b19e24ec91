import type { MemberSubscription, TopicPartitions } from './assignor';
import { compareStrings } from './member-order';

/** A mutable assignment under construction: member id -> topic -> partitions. */
export type AssignmentBuilder = Map<string, Map<string, number[]>>;

export function emptyAssignment(members: readonly MemberSubscription[]): AssignmentBuilder {
  return new Map(members.map((m) => [m.memberId, new Map<string, number[]>()]));
}

export function addPartition(
  assignment: AssignmentBuilder,
  memberId: string,
  topic: string,
  partition: number,
): void {
  const topics = assignment.get(memberId)!;
  const partitions = topics.get(topic);
  if (partitions) partitions.push(partition);
  else topics.set(topic, [partition]);
}

/** The finished assignment, topics and partitions in ascending order, every member present. */
export function toTopicPartitions(assignment: AssignmentBuilder): Map<string, TopicPartitions[]> {
  const result = new Map<string, TopicPartitions[]>();
  for (const [memberId, topics] of assignment) {
    const list = [...topics.entries()]
      .filter(([, partitions]) => partitions.length > 0)
      .sort(([a], [b]) => compareStrings(a, b))
      .map(([topic, partitions]) => ({ topic, partitions: [...partitions].sort((x, y) => x - y) }));
    result.set(memberId, list);
  }
  return result;
}

/** Topics any member subscribes to that exist in the metadata, in name order. */
export function subscribedTopics(
  members: readonly MemberSubscription[],
  partitionCounts: ReadonlyMap<string, number>,
): string[] {
  const topics = new Set<string>();
  for (const m of members) for (const t of m.topics) if (partitionCounts.has(t)) topics.add(t);
  return [...topics].sort(compareStrings);
}
