import { Outcome } from '../outcome';
import type { BatchWaiter, ProducerBatch } from './producer-batch';
import type { ProducerRecord, RecordMetadata } from './producer-record';
import type { QueuedSend } from './send-queue';

/** How a producer places a send's records in batches (one for all its sends). */
export interface Placer {
  /** Checks every record before any is placed (a send is refused whole); their estimated sizes. */
  check(records: readonly ProducerRecord[]): Uint32Array;
  /** Places records from `send.count` on while `bufferMemory` has room; whether all are placed. */
  append(records: readonly ProducerRecord[], sizes: Uint32Array, send: PendingSend): boolean;
}

/** Up to this many records, indexes are a plain array: a typed array costs more for a few. */
const SMALL = 16;

/**
 * One send from its call to its outcome, as one object: queued until its topics are known and
 * there is room, where its records went (each record's batch and index there, in two arrays
 * rather than an object per record), and its result (an `Eager`: replays, awaitable). It counts
 * the batches it waits for instead of subscribing to each: settled once all its records are
 * placed and every batch acknowledged, or failed as the first batch that fails.
 */
export class PendingSend extends Outcome<RecordMetadata[]> implements QueuedSend, BatchWaiter {
  /** Records placed so far. */
  count = 0;
  deadline: number | undefined = undefined;
  private readonly batches: ProducerBatch[];
  private readonly indexes: number[] | Uint32Array;
  /** Held only until placed: then the records' bytes are in their batches. */
  private unplaced: readonly ProducerRecord[] | undefined;
  private sizes: Uint32Array | undefined = undefined;
  private topicNames: readonly string[] | undefined = undefined;
  /** Batch registrations not yet settled. */
  private unacked = 0;
  private placedAll = false;
  private failed = false;
  private firstFailure: unknown = undefined;
  private built: RecordMetadata[] | undefined = undefined;

  constructor(
    records: readonly ProducerRecord[],
    private readonly placer: Placer,
  ) {
    super();
    this.unplaced = records;
    this.batches = new Array<ProducerBatch>(records.length);
    this.indexes =
      records.length <= SMALL ? new Array<number>(records.length) : new Uint32Array(records.length);
  }

  /** The distinct topics of the records (most sends name one). */
  get topics(): readonly string[] {
    if (this.topicNames === undefined) {
      const records = this.unplaced ?? [];
      this.topicNames =
        records.length === 1 ? [records[0].topic] : [...new Set(records.map((record) => record.topic))];
    }
    return this.topicNames;
  }

  append(): boolean {
    const records = this.unplaced!;
    this.sizes ??= this.placer.check(records);
    if (!this.placer.append(records, this.sizes, this)) return false;
    this.unplaced = this.sizes = this.topicNames = undefined;
    this.placedAll = true;
    if (this.failed) this.reject(this.firstFailure);
    else if (this.unacked === 0) this.resolve();
    return true;
  }

  fail(error: unknown): void {
    this.unplaced = this.sizes = undefined;
    this.reject(error);
  }

  /** Its next record went into `batch` at `index`. */
  add(batch: ProducerBatch, index: number): void {
    this.batches[this.count] = batch;
    this.indexes[this.count++] = index;
    if (batch.waitedOnLastBy(this)) return;
    this.unacked++;
    batch.wait(this);
  }

  batchAcked(): void {
    if (--this.unacked === 0 && this.placedAll && !this.failed) this.resolve();
  }

  batchFailed(error: unknown): void {
    this.unacked--;
    if (this.failed) return;
    this.failed = true;
    this.firstFailure = error;
    if (this.placedAll) this.reject(error);
  }

  /** The records' metadata, in the order sent: built when first asked for, then the same array. */
  protected value(): RecordMetadata[] {
    if (this.built === undefined) {
      const out = new Array<RecordMetadata>(this.count);
      for (let i = 0; i < out.length; i++) {
        const batch = this.batches[i];
        // The ack is read back from the batch, not stored per record.
        out[i] = batch.metadataOf(this.indexes[i], batch.ack!);
      }
      this.built = out;
    }
    return this.built;
  }
}
