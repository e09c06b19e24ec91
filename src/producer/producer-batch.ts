import { AsyncSubject, type Subscription } from 'rxjs';
import { RECORD_BATCH_OVERHEAD, type BatchRecord, type RecordMetadata } from './producer-record';
import { AcknowledgedRecordMetadata } from './acknowledged-record-metadata';

/** The idempotent producer's identity: a producer id and epoch from InitProducerId. */
export interface ProducerIdentity {
  readonly producerId: bigint;
  readonly producerEpoch: number;
}

/** Sequence numbers a batch was written with. */
export interface BatchStamp extends ProducerIdentity {
  readonly baseSequence: number;
}

/** What the broker said about a batch it accepted. */
export interface BatchAck {
  /** `-1n` when unknown (acks=0, or a duplicate). */
  readonly baseOffset: bigint;
  /** -1 unless the topic uses LogAppendTime. */
  readonly logAppendTimeMs: number;
}

/**
 * Records bound for one partition, sent together as one record batch. Its outcome is
 * `ack$`: one `BatchAck` then complete, or an error; it is settled exactly once.
 */
export class ProducerBatch {
  readonly records: BatchRecord[] = [];
  /** Upper bound of the encoded size, before compression. */
  sizeBytes = RECORD_BATCH_OVERHEAD;
  /** No more records may join (it is full, or on its way). */
  closed = false;
  /** Sends so far. */
  attempts = 0;
  /**
   * Waiting out the retry backoff. A timer on the clock clears it (rather than comparing times:
   * a timer may fire a little before the clock's `now()` says the time has come).
   */
  backingOff = false;
  stamp: BatchStamp | undefined;
  /** The encoded batch for `stamp` (encoding is kept for retries with the same stamp). */
  encoded: Buffer | undefined;
  lingerTimer: Subscription | undefined;
  /** Fails the batch if it is still waiting to be sent at `deliveryTimeoutMs`. */
  deliveryTimer: Subscription | undefined;
  readonly ack$ = new AsyncSubject<BatchAck>();
  private settled = false;

  constructor(
    readonly topic: string,
    readonly partition: number,
    /** Clock time of the first record. */
    readonly createdAt: number,
  ) {}

  get done(): boolean {
    return this.settled;
  }

  /** Adds a record if it fits (an empty batch takes any record); returns its index, or -1. */
  tryAppend(record: BatchRecord, size: number, batchBytes: number): number {
    if (this.closed || (this.records.length > 0 && this.sizeBytes + size > batchBytes)) return -1;
    this.records.push(record);
    this.sizeBytes += size;
    return this.records.length - 1;
  }

  /** The metadata of the record at `index` once the batch is acknowledged. */
  metadataOf(index: number, ack: BatchAck): RecordMetadata {
    return new AcknowledgedRecordMetadata(
      this.topic,
      this.partition,
      ack.baseOffset < 0n ? -1n : ack.baseOffset + BigInt(index),
      ack.logAppendTimeMs >= 0 ? ack.logAppendTimeMs : this.records[index].timestamp,
    );
  }

  complete(ack: BatchAck): void {
    if (this.settle()) {
      this.ack$.next(ack);
      this.ack$.complete();
    }
  }

  fail(error: unknown): void {
    if (this.settle()) this.ack$.error(error);
  }

  private settle(): boolean {
    if (this.settled) return false;
    this.settled = true;
    this.closed = true;
    this.lingerTimer?.unsubscribe();
    this.deliveryTimer?.unsubscribe();
    return true;
  }
}
