import { assignmentOf, has, type Assignment } from './assignment';
import type { ServerAssignor } from './server-assignor';

/**
 * Kafka's server-side `uniform` (the default): partitions spread as evenly as the subscriptions
 * allow, and sticky: a partition stays with its member while that member is subscribed to its
 * topic and within its fair share, so a change in membership moves as few partitions as it can.
 */
export const uniformAssignor: ServerAssignor = (members, partitionCounts) => {
  const byId = [...members].sort((a, b) => (a.memberId < b.memberId ? -1 : 1));
  const all: Array<[string, number]> = [...partitionCounts]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .flatMap(([topic, count]) => Array.from({ length: count }, (_, p): [string, number] => [topic, p]));
  const wanted = all.filter(([topic]) => byId.some((m) => m.topics.has(topic)));
  const subscribing = byId.filter((m) => wanted.some(([topic]) => m.topics.has(topic)));
  // The fair share if every member could take every partition: floor(n / m) each, and
  // n % m of them one more.
  const minShare = subscribing.length === 0 ? 0 : Math.floor(wanted.length / subscribing.length);
  let extra = subscribing.length === 0 ? 0 : wanted.length % subscribing.length;
  const taken = new Map<string, Array<[string, number]>>(byId.map((m) => [m.memberId, []]));
  const count = (m: { memberId: string }): number => taken.get(m.memberId)?.length ?? 0;
  const free: Array<[string, number]> = [];
  for (const tp of wanted) {
    const keeper = subscribing.find(
      (m) =>
        has(m.current, tp[0], tp[1]) &&
        m.topics.has(tp[0]) &&
        (count(m) < minShare || (count(m) === minShare && extra > 0)),
    );
    if (keeper === undefined) {
      free.push(tp);
    } else {
      if (count(keeper) === minShare) extra -= 1;
      taken.get(keeper.memberId)?.push(tp);
    }
  }
  // A sticky pass can leave one member above the others' count; fill the least loaded first.
  for (const tp of free) {
    const candidates = subscribing.filter((m) => m.topics.has(tp[0]));
    let least = candidates[0];
    for (const m of candidates) {
      if (count(m) < count(least)) least = m;
    }
    taken.get(least.memberId)?.push(tp);
  }
  return new Map<string, Assignment>(
    [...taken].map(([id, tps]) => [id, assignmentOf(tps.map(([t, p]) => [t, [p]] as const))]),
  );
};
