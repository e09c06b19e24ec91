import type { ConsumerRecord } from '../consumer';

/** One partition's log end and the next offset the group will read from it. */
export interface PartitionLag {
  readonly partition: number;
  readonly highWatermark: bigint;
}

/**
 * What the demo counts: records acknowledged by the producer, records consumed (and how many of
 * them a second time, as happens after a rebalance when a commit did not land), commits and
 * rebalances. Records are told apart by their value, which the demo makes unique.
 */
export class DemoTally {
  produced = 0;
  consumed = 0;
  duplicates = 0;
  commits = 0;
  failedCommits = 0;
  rebalances = 0;
  private readonly seen = new Set<string>();
  private readonly acknowledged = new Set<string>();
  /** Next offset to read per partition: one past the highest consumed. */
  private readonly positions = new Map<number, bigint>();

  /** The producer acknowledged these record values. */
  acked(values: readonly string[]): void {
    for (const v of values) this.acknowledged.add(v);
    this.produced += values.length;
  }

  /** A consumer delivered this record. */
  record(record: ConsumerRecord): void {
    this.consumed++;
    const value = record.value?.toString('utf8') ?? '';
    if (this.seen.has(value)) this.duplicates++;
    else this.seen.add(value);
    const next = record.offset + 1n;
    if ((this.positions.get(record.partition) ?? 0n) < next) this.positions.set(record.partition, next);
  }

  /** Distinct records consumed. */
  get unique(): number {
    return this.seen.size;
  }

  /** Acknowledged records no consumer has delivered. */
  get missing(): number {
    let n = 0;
    for (const v of this.acknowledged) if (!this.seen.has(v)) n++;
    return n;
  }

  /** Records in the logs beyond what the group has consumed, summed over partitions. */
  lag(partitions: readonly PartitionLag[]): bigint {
    let total = 0n;
    for (const p of partitions) {
      const behind = p.highWatermark - (this.positions.get(p.partition) ?? 0n);
      if (behind > 0n) total += behind;
    }
    return total;
  }
}
