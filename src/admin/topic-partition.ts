/** A partition of a topic, as admin calls name it. */
export interface PartitionOf {
  readonly topic: string;
  readonly partition: number;
}

/** Topic, then partition order. */
export function byTopicPartition(a: PartitionOf, b: PartitionOf): number {
  return a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition;
}

/** Items grouped by topic, as Kafka's requests nest them, in first-seen order. */
export function groupByTopic<T extends PartitionOf>(items: readonly T[]): Array<[string, T[]]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const list = groups.get(item.topic);
    if (list) list.push(item);
    else groups.set(item.topic, [item]);
  }
  return [...groups];
}

/** The entry for a partition in a response nested as topics[].partitions[]. */
export function findPartition<P extends { partitionIndex: number }>(
  topics: ReadonlyArray<{ name: string; partitions: readonly P[] }>,
  topic: string,
  partition: number,
): P | undefined {
  return topics.find((t) => t.name === topic)?.partitions.find((p) => p.partitionIndex === partition);
}
