import { assignmentOf, type Assignment } from './assignment';
import type { ServerAssignor } from './server-assignor';

/**
 * Kafka's server-side `range`: per topic, the members subscribed to it, by member id, each take
 * consecutive partitions; the first `partitions % members` take one more. Co-partitioned topics
 * land together.
 */
export const rangeAssignor: ServerAssignor = (members, partitionCounts) => {
  const entries = new Map<string, Array<[string, number[]]>>(members.map((m) => [m.memberId, []]));
  for (const [topic, count] of [...partitionCounts].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const subscribers = members
      .filter((m) => m.topics.has(topic))
      .map((m) => m.memberId)
      .sort();
    if (subscribers.length === 0) continue;
    const quota = Math.floor(count / subscribers.length);
    const extra = count % subscribers.length;
    let next = 0;
    subscribers.forEach((memberId, i) => {
      const n = quota + (i < extra ? 1 : 0);
      entries.get(memberId)?.push([topic, Array.from({ length: n }, (_, k) => next + k)]);
      next += n;
    });
  }
  return new Map<string, Assignment>([...entries].map(([id, e]) => [id, assignmentOf(e)]));
};
