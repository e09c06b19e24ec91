import { forkJoin, map, type Observable } from 'rxjs';
import type { ProducerBatch } from './producer-batch';
import type { RecordMetadata } from './producer-record';

/**
 * Where the records of one send went: for each, its batch and its index there, in two arrays
 * rather than an object per record.
 */
export class Placement {
  private readonly batches: ProducerBatch[] = [];
  private readonly indexes: number[] = [];

  get count(): number {
    return this.batches.length;
  }

  add(batch: ProducerBatch, index: number): void {
    this.batches.push(batch);
    this.indexes.push(index);
  }

  /**
   * Emits once every batch the records went into is acknowledged, then completes; errors as
   * the first batch that fails. One subscription per batch, not per record.
   */
  settled(): Observable<Placement> {
    const distinct = new Set(this.batches);
    return forkJoin([...distinct].map((batch) => batch.ack$)).pipe(map(() => this));
  }

  /** The records' metadata, in the order sent; only once `settled()` has emitted. */
  metadata(): RecordMetadata[] {
    const out = new Array<RecordMetadata>(this.batches.length);
    for (let i = 0; i < out.length; i++) {
      const batch = this.batches[i];
      // An AsyncSubject that completed keeps its value: the ack is read back, not stored per record.
      out[i] = batch.metadataOf(this.indexes[i], batch.ack!);
    }
    return out;
  }
}
