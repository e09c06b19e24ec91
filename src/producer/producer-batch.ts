import { AsyncSubject, type Subscription } from 'rxjs';
import type { WrittenRecords } from '../protocol/records/record-batch-encoder';
import { writeRecord, type RecordHeaderPairs } from '../protocol/records/record-writer';
import { RECORD_BATCH_OVERHEAD, type ProducerRecord, type RecordMetadata } from './producer-record';
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

/** A send with records in a batch: told once when the batch is acknowledged or fails. */
export interface BatchWaiter {
  batchAcked(): void;
  batchFailed(error: unknown): void;
}

const NO_HEADERS: RecordHeaderPairs = [];
/** Base offsets up to which base + index (an int32) is exact as a number. */
const EXACT_BASE = BigInt(Number.MAX_SAFE_INTEGER - 0x7fffffff);
const SETTLED = Buffer.alloc(0);

function headerPairs(headers: ProducerRecord['headers']): RecordHeaderPairs {
  if (headers === undefined) return NO_HEADERS;
  if (Array.isArray(headers)) return headers as RecordHeaderPairs;
  return Object.entries(headers as Readonly<Record<string, Buffer | string>>);
}

/**
 * Records bound for one partition, sent together as one record batch. Each record is written
 * into the batch's buffer as it is appended (after room for the batch header), so a record
 * leaves no object behind, and an uncompressed batch is sent from that buffer as it is. Its
 * outcome is `ack$`: one `BatchAck` then complete, or an error; it is settled exactly once.
 */
export class ProducerBatch implements WrittenRecords {
  buffer: Buffer;
  /** Where the written records end in `buffer`. */
  end = RECORD_BATCH_OVERHEAD;
  count = 0;
  baseTimestamp = 0;
  maxTimestamp = 0;
  /** Each record's CreateTime, for its metadata. */
  private readonly timestamps: number[] = [];
  /** Upper bound of the encoded size, before compression: the records' estimated sizes. */
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
  /** What the broker said, once acknowledged. */
  ack: BatchAck | undefined;
  private settled = false;
  private failure: unknown = undefined;
  /**
   * Sends with records here, told after `ack$`'s subscribers: a plain array rather than a
   * subscription per send. Emptied once settled (the sends keep the batch, not the other way).
   */
  private waiters: BatchWaiter[] = [];

  constructor(
    readonly topic: string,
    readonly partition: number,
    /** Clock time of the first record. */
    readonly createdAt: number,
    /** Bytes of records the buffer starts with room for (it grows for a larger record). */
    capacity: number,
  ) {
    this.buffer = Buffer.allocUnsafe(RECORD_BATCH_OVERHEAD + capacity);
  }

  get done(): boolean {
    return this.settled;
  }

  /**
   * Writes a record into the batch if it fits (an empty batch takes any record), with `now` as
   * its timestamp if it has none; returns its index, or -1. `size` is its estimated size, an
   * upper bound of what it takes (estimateRecordSize).
   */
  tryAppend(record: ProducerRecord, now: number, size: number, batchBytes: number): number {
    if (this.closed || (this.count > 0 && this.sizeBytes + size > batchBytes)) return -1;
    const timestamp = record.timestamp ?? now;
    if (this.count === 0) this.baseTimestamp = this.maxTimestamp = timestamp;
    else if (timestamp > this.maxTimestamp) this.maxTimestamp = timestamp;
    if (this.end + size > this.buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.end + size, this.buffer.length * 2));
      this.buffer.copy(grown, 0, 0, this.end);
      this.buffer = grown;
    }
    this.end = writeRecord(
      this.buffer,
      this.end,
      this.count,
      timestamp - this.baseTimestamp,
      record.key ?? null,
      record.value ?? null,
      headerPairs(record.headers),
    );
    this.timestamps.push(timestamp);
    this.sizeBytes += size;
    return this.count++;
  }

  /** The metadata of the record at `index` once the batch is acknowledged. */
  metadataOf(index: number, ack: BatchAck): RecordMetadata {
    const base = ack.baseOffset;
    // One bigint per record, not two (BigInt(index), then the sum), while a number adds exactly.
    const offset = base < 0n ? -1n : base <= EXACT_BASE ? BigInt(Number(base) + index) : base + BigInt(index);
    return new AcknowledgedRecordMetadata(
      this.topic,
      this.partition,
      offset,
      ack.logAppendTimeMs >= 0 ? ack.logAppendTimeMs : this.timestamps[index],
    );
  }

  /**
   * Tells `waiter` when the batch settles (at once if it has). Once per send is enough, but a
   * send registered twice is told twice, so its count of batches stays right either way.
   */
  wait(waiter: BatchWaiter): void {
    if (!this.settled) this.waiters.push(waiter);
    else if (this.ack !== undefined) waiter.batchAcked();
    else waiter.batchFailed(this.failure);
  }

  /** Whether `waiter` was the last to `wait` (a send's records mostly land together). */
  waitedOnLastBy(waiter: BatchWaiter): boolean {
    return this.waiters.length > 0 && this.waiters[this.waiters.length - 1] === waiter;
  }

  complete(ack: BatchAck): void {
    if (this.settle()) {
      this.ack = ack;
      this.ack$.next(ack);
      this.ack$.complete();
      for (const waiter of this.release()) waiter.batchAcked();
    }
  }

  fail(error: unknown): void {
    if (this.settle()) {
      this.failure = error;
      this.ack$.error(error);
      for (const waiter of this.release()) waiter.batchFailed(error);
    }
  }

  private release(): BatchWaiter[] {
    const waiters = this.waiters;
    this.waiters = [];
    return waiters;
  }

  private settle(): boolean {
    if (this.settled) return false;
    this.settled = true;
    this.closed = true;
    this.lingerTimer?.unsubscribe();
    this.deliveryTimer?.unsubscribe();
    // Send results keep their batches (for metadata, built when asked): not the records' bytes.
    this.buffer = SETTLED;
    this.encoded = undefined;
    return true;
  }
}
