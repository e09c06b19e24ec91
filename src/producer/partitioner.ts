import type { PartitionMetadata } from '../cluster/cluster';
import { murmur2, toPositive } from './murmur2';

/** Chooses the partition of a record that does not name one. */
export interface Partitioner {
  /** `partitions` lists every partition of the topic (at least one), in partition order. */
  partition(topic: string, key: Buffer | null, partitions: readonly PartitionMetadata[]): number;
  /** Told when the batch being filled for a partition is closed (full or sent). */
  onBatchClosed?(topic: string, partition: number): void;
}

/** The Java client's choice for a keyed record: `toPositive(murmur2(key)) % numPartitions`. */
export function partitionForKey(key: Uint8Array, numPartitions: number): number {
  return toPositive(murmur2(key)) % numPartitions;
}

/**
 * The Java client's default partitioner (KIP-480): a keyed record goes to
 * `toPositive(murmur2(key)) % numPartitions`; records without a key stick to one partition
 * (chosen at random among those with a leader) until the batch being filled there is closed,
 * then move to another, so small records fill batches instead of spreading one per partition.
 *
 * @param random a source of numbers in [0, 1); injectable so tests can tell the choice.
 */
export function createDefaultPartitioner(random: () => number = Math.random): Partitioner {
  const sticky = new Map<string, number>();
  const previousOf = new Map<string, number>();

  function choose(
    topic: string,
    partitions: readonly PartitionMetadata[],
    previous: number | undefined,
  ): number {
    const available = partitions.filter((p) => p.leader >= 0);
    const pool = available.length > 0 ? available : partitions;
    // Move away from the previous partition when there is somewhere else to go.
    const others =
      pool.length > 1 && previous !== undefined ? pool.filter((p) => p.partition !== previous) : pool;
    const chosen = others[Math.floor(random() * others.length) % others.length].partition;
    sticky.set(topic, chosen);
    return chosen;
  }

  return {
    partition(topic, key, partitions) {
      if (key !== null) return partitionForKey(key, partitions.length);
      const current = sticky.get(topic);
      if (current !== undefined && current < partitions.length) return current;
      return choose(topic, partitions, previousOf.get(topic));
    },
    onBatchClosed(topic, partition) {
      // Only the sticky partition's batch moves the topic on; keyed batches elsewhere do not.
      if (sticky.get(topic) === partition) {
        sticky.delete(topic);
        previousOf.set(topic, partition);
      }
    },
  };
}
