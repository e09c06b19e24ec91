import type { BatchHeader } from './batch-header';

/** How many recent batches per producer a partition remembers to recognise a retried one (as Kafka does). */
const RETAINED_BATCHES = 5;
const INT32_MAX = 0x7fffffff;

interface RetainedBatch {
  readonly firstSequence: number;
  readonly lastSequence: number;
  readonly baseOffset: bigint;
}

interface ProducerEntry {
  epoch: number;
  batches: RetainedBatch[];
}

/** The verdict on an idempotent batch, before it is appended. */
export type SequenceCheck =
  | { readonly kind: 'append' }
  /** A retry of one of the last batches: acknowledged again with its first offset, not appended. */
  | { readonly kind: 'duplicate'; readonly baseOffset: bigint }
  | {
      readonly kind: 'reject';
      readonly error:
        | 'INVALID_PRODUCER_EPOCH'
        | 'OUT_OF_ORDER_SEQUENCE_NUMBER'
        | 'DUPLICATE_SEQUENCE_NUMBER'
        | 'UNKNOWN_PRODUCER_ID';
    };

function nextSequence(sequence: number): number {
  return sequence === INT32_MAX ? 0 : sequence + 1;
}

function lastSequenceOf(header: BatchHeader): number {
  const last = header.baseSequence + header.lastOffsetDelta;
  return last > INT32_MAX ? last - INT32_MAX - 1 : last;
}

/**
 * Per-partition state of idempotent producers: the epoch and the last few batches of each
 * producerId. Batches must arrive in sequence; a retried batch still remembered is
 * acknowledged again, an older one is a DUPLICATE_SEQUENCE_NUMBER, a gap OUT_OF_ORDER_SEQUENCE_NUMBER.
 */
export class ProducerStateTable {
  private readonly producers = new Map<bigint, ProducerEntry>();

  /** Checks a batch with a producerId (>= 0) without changing anything. */
  check(header: BatchHeader): SequenceCheck {
    const entry = this.producers.get(header.producerId);
    if (entry === undefined) {
      // A producer this partition has never seen must start its sequence at 0.
      return header.baseSequence === 0
        ? { kind: 'append' }
        : { kind: 'reject', error: 'UNKNOWN_PRODUCER_ID' };
    }
    if (header.producerEpoch < entry.epoch) return { kind: 'reject', error: 'INVALID_PRODUCER_EPOCH' };
    if (header.producerEpoch > entry.epoch) {
      return header.baseSequence === 0
        ? { kind: 'append' }
        : { kind: 'reject', error: 'OUT_OF_ORDER_SEQUENCE_NUMBER' };
    }
    const last = lastSequenceOf(header);
    const retained = entry.batches.find(
      (b) => b.firstSequence === header.baseSequence && b.lastSequence === last,
    );
    if (retained !== undefined) return { kind: 'duplicate', baseOffset: retained.baseOffset };
    const newest = entry.batches[entry.batches.length - 1];
    if (newest === undefined || header.baseSequence === nextSequence(newest.lastSequence))
      return { kind: 'append' };
    const oldest = entry.batches[0];
    if (header.baseSequence < oldest.firstSequence && newest.lastSequence >= oldest.firstSequence) {
      return { kind: 'reject', error: 'DUPLICATE_SEQUENCE_NUMBER' };
    }
    return { kind: 'reject', error: 'OUT_OF_ORDER_SEQUENCE_NUMBER' };
  }

  /** Records an appended batch (after `check` said `append`). */
  record(header: BatchHeader, baseOffset: bigint): void {
    let entry = this.producers.get(header.producerId);
    if (entry === undefined || header.producerEpoch !== entry.epoch) {
      entry = { epoch: header.producerEpoch, batches: [] };
      this.producers.set(header.producerId, entry);
    }
    entry.batches.push({
      firstSequence: header.baseSequence,
      lastSequence: lastSequenceOf(header),
      baseOffset,
    });
    if (entry.batches.length > RETAINED_BATCHES) entry.batches.shift();
  }

  /** A transaction marker at `epoch` was written: a newer epoch fences the producer's older batches. */
  markerWritten(producerId: bigint, epoch: number): void {
    const entry = this.producers.get(producerId);
    if (entry === undefined || epoch > entry.epoch) this.producers.set(producerId, { epoch, batches: [] });
  }
}
