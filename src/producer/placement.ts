import { forkJoin, map, type Observable } from 'rxjs';
import type { ProducerBatch } from './producer-batch';
import type { RecordMetadata } from './producer-record';

/**
 * Where the records of one send went: for each, its batch and its index there, in two arrays
 * rather than an object per record.
 */
export class Placement {
  private readonly batches: ProducerBatch[];
  private readonly indexes: Uint32Array;
  /** Records placed so far. */
  count = 0;

  /** `size`: the send's records, so the arrays are made once, at their size. */
  constructor(size: number) {
    this.batches = new Array<ProducerBatch>(size);
    this.indexes = new Uint32Array(size);
  }

  add(batch: ProducerBatch, index: number): void {
    this.batches[this.count] = batch;
    this.indexes[this.count++] = index;
  }

  /**
   * Emits once every batch the records went into is acknowledged, then completes; errors as
   * the first batch that fails. One subscription per batch, not per record.
   */
  settled(): Observable<Placement> {
    const distinct = new Set<ProducerBatch>();
    for (let i = 0; i < this.count; i++) distinct.add(this.batches[i]);
    return forkJoin([...distinct].map((batch) => batch.ack$)).pipe(map(() => this));
  }

  /** The records' metadata, in the order sent; only once `settled()` has emitted. */
  metadata(): RecordMetadata[] {
    const out = new Array<RecordMetadata>(this.count);
    for (let i = 0; i < out.length; i++) {
      const batch = this.batches[i];
      // An AsyncSubject that completed keeps its value: the ack is read back, not stored per record.
      out[i] = batch.metadataOf(this.indexes[i], batch.ack!);
    }
    return out;
  }
}
