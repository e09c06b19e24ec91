/** `count` records `k<i>` = `v<i>` for `topic`, record i on partition i % `partitions`. */
export function roundRobinRecords(topic: string, count: number, partitions: number) {
  return Array.from({ length: count }, (_, i) => ({
    topic,
    partition: i % partitions,
    key: `k${i}`,
    value: `v${i}`,
  }));
}
