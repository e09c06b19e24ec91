import type { RebalanceEvent } from '../../src/consumer';

/** The partitions a member owns after `rebalances` (assigned adds; revoked and lost remove), sorted. */
export function ownedPartitions(rebalances: readonly RebalanceEvent[]): number[] {
  const owned = new Set<number>();
  for (const { type, partitions } of rebalances) {
    for (const { partition } of partitions) {
      if (type === 'assigned') owned.add(partition);
      else owned.delete(partition);
    }
  }
  return [...owned].sort((x, y) => x - y);
}
