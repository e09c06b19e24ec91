import type { MemberSubscription, TopicPartitions } from '../../../src/consumer/assignors';

export function member(
  memberId: string,
  topics: string[],
  owned: TopicPartitions[] = [],
  extra: Partial<MemberSubscription> = {},
): MemberSubscription {
  return {
    memberId,
    groupInstanceId: null,
    topics,
    userData: null,
    ownedPartitions: owned,
    generationId: 1,
    ...extra,
  };
}

/** `{ a: ['t:0', 't:1'] }`, for readable expectations. */
export function flat(assignment: Map<string, TopicPartitions[]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [id, tps] of assignment)
    out[id] = tps.flatMap(({ topic, partitions }) => partitions.map((p) => `${topic}:${p}`));
  return out;
}
