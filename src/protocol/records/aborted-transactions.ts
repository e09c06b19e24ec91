/** An entry of a Fetch response's AbortedTransactions. */
export interface AbortedTransaction {
  producerId: bigint;
  firstOffset: bigint;
}

/**
 * Which transactional batches to drop under read_committed, as Kafka's consumer decides:
 * a producer counts as aborted once a batch reaches the firstOffset of one of its aborted
 * transactions, and stops counting at that producer's ABORT marker. Feed batches in offset order.
 */
export class AbortedTransactions {
  private readonly pending: AbortedTransaction[];
  private next = 0;
  private readonly abortedProducerIds = new Set<bigint>();

  constructor(aborted: ReadonlyArray<AbortedTransaction>) {
    this.pending = [...aborted].sort((a, b) =>
      a.firstOffset < b.firstOffset ? -1 : a.firstOffset > b.firstOffset ? 1 : 0,
    );
  }

  /**
   * Moves to a batch with a producer id ending at `lastOffset`; returns true when its records
   * belong to an aborted transaction and must be dropped.
   */
  isAborted(producerId: bigint, lastOffset: bigint, transactional: boolean, isAbortMarker: boolean): boolean {
    const pending = this.pending;
    while (this.next < pending.length && pending[this.next].firstOffset <= lastOffset) {
      this.abortedProducerIds.add(pending[this.next++].producerId);
    }
    if (isAbortMarker) {
      this.abortedProducerIds.delete(producerId);
      return false;
    }
    return transactional && this.abortedProducerIds.has(producerId);
  }
}
