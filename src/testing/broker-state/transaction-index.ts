import type { AbortedTransaction } from '../../protocol/records';

/** An aborted transaction as a partition remembers it: from its first record to its ABORT marker. */
export interface AbortedRange extends AbortedTransaction {
  /** Offset of the ABORT marker. */
  readonly lastOffset: bigint;
}

/**
 * The transactions of one partition, as Kafka's log keeps them: the first offset of every
 * producer's open transaction (the smallest one is the last stable offset) and the range of every
 * aborted one (Kafka's transaction index), which Fetch at read_committed reports.
 */
export class TransactionIndex {
  private readonly ongoing = new Map<bigint, bigint>();
  private readonly aborted: AbortedRange[] = [];

  /** A transactional batch was appended at `baseOffset`: the first one opens its producer's transaction. */
  appended(producerId: bigint, baseOffset: bigint): void {
    if (!this.ongoing.has(producerId)) this.ongoing.set(producerId, baseOffset);
  }

  /** A marker at `markerOffset` ends the producer's transaction; an ABORT remembers its range. */
  ended(producerId: bigint, markerOffset: bigint, committed: boolean): void {
    const firstOffset = this.ongoing.get(producerId);
    this.ongoing.delete(producerId);
    // A partition added to a transaction but never written to has nothing to hide.
    if (!committed && firstOffset !== undefined)
      this.aborted.push({ producerId, firstOffset, lastOffset: markerOffset });
  }

  /** The first offset of the earliest open transaction, or `highWatermark` when none is open. */
  lastStableOffset(highWatermark: bigint): bigint {
    let lso = highWatermark;
    for (const first of this.ongoing.values()) if (first < lso) lso = first;
    return lso;
  }

  /** Aborted transactions overlapping [from, to): what a Fetch of those offsets reports. */
  abortedBetween(from: bigint, to: bigint): AbortedTransaction[] {
    return this.aborted
      .filter((a) => a.lastOffset >= from && a.firstOffset < to)
      .map(({ producerId, firstOffset }) => ({ producerId, firstOffset }));
  }
}
