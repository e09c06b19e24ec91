import type { TopicPartition } from './types';

/** A map key for a partition. */
export function tpKey(tp: TopicPartition): string {
  return `${tp.topic}\u0000${tp.partition}`;
}

/** Partitions in `a` that are not in `b`. */
export function subtractPartitions(
  a: readonly TopicPartition[],
  b: readonly TopicPartition[],
): TopicPartition[] {
  const keys = new Set(b.map(tpKey));
  return a.filter((tp) => !keys.has(tpKey(tp)));
}

/** The union of `a` and `b`, without duplicates, sorted. */
export function unionPartitions(
  a: readonly TopicPartition[],
  b: readonly TopicPartition[],
): TopicPartition[] {
  const byKey = new Map<string, TopicPartition>();
  for (const tp of [...a, ...b]) byKey.set(tpKey(tp), tp);
  return sortPartitions([...byKey.values()]);
}

/** Sorted by topic, then partition. */
export function sortPartitions<T extends TopicPartition>(tps: readonly T[]): T[] {
  return [...tps].sort((x, y) =>
    x.topic < y.topic ? -1 : x.topic > y.topic ? 1 : x.partition - y.partition,
  );
}

/** Groups partitions by topic, in the `{ topic, partitions }` shape of Kafka's request bodies. */
export function groupByTopic<T extends TopicPartition>(
  tps: readonly T[],
): Array<{ topic: string; items: T[] }> {
  const byTopic = new Map<string, T[]>();
  for (const tp of tps) {
    const list = byTopic.get(tp.topic);
    if (list) list.push(tp);
    else byTopic.set(tp.topic, [tp]);
  }
  return [...byTopic].map(([topic, items]) => ({ topic, items }));
}
