import { BASE_OFFSET, PARTITION_LEADER_EPOCH } from '../../protocol/records/record-batch-layout';
import { encodeControlBatch } from '../../protocol/records';
import { readBatchHeader, type BatchHeader } from './batch-header';
import { TransactionIndex } from './transaction-index';

/** A batch as stored: its bytes with the broker's baseOffset written in. */
export interface StoredBatch {
  readonly baseOffset: bigint;
  readonly lastOffset: bigint;
  readonly maxTimestamp: bigint;
  readonly bytes: Buffer;
}

/**
 * The log of one partition: record batches kept as bytes, as a broker keeps them. Appending
 * writes the offset into the batch; the CRC does not cover it, so the batch stays valid.
 * With no replication, the highWatermark is the log end offset.
 */
export class PartitionLog {
  private readonly batches: StoredBatch[] = [];
  private startOffset = 0n;
  private endOffset = 0n;
  readonly transactions = new TransactionIndex();

  /** The first offset still in the log. */
  get logStartOffset(): bigint {
    return this.startOffset;
  }

  /** The offset the next record will get; everything below is committed. */
  get highWatermark(): bigint {
    return this.endOffset;
  }

  /** Below it no transaction is open: what a read_committed consumer may read. */
  get lastStableOffset(): bigint {
    return this.transactions.lastStableOffset(this.endOffset);
  }

  /** Appends a batch (copied), returning the offset given to its first record. */
  append(bytes: Buffer, header: BatchHeader, leaderEpoch: number): bigint {
    const baseOffset = this.endOffset;
    const copy = Buffer.from(bytes);
    copy.writeBigInt64BE(baseOffset, BASE_OFFSET);
    copy.writeInt32BE(leaderEpoch, PARTITION_LEADER_EPOCH);
    const lastOffset = baseOffset + BigInt(header.lastOffsetDelta);
    this.batches.push({ baseOffset, lastOffset, maxTimestamp: header.maxTimestamp, bytes: copy });
    this.endOffset = lastOffset + 1n;
    if (header.isTransactional && !header.isControl)
      this.transactions.appended(header.producerId, baseOffset);
    return baseOffset;
  }

  /**
   * Writes a COMMIT or ABORT marker of a producer's transaction (a control batch, as the
   * transaction coordinator has the leader write it), returning its offset.
   */
  appendMarker(
    marker: { producerId: bigint; producerEpoch: number; committed: boolean; timestamp: number },
    leaderEpoch: number,
  ): bigint {
    const batch = encodeControlBatch({
      type: marker.committed ? 'COMMIT' : 'ABORT',
      producerId: marker.producerId,
      producerEpoch: marker.producerEpoch,
      timestamp: marker.timestamp,
    });
    const offset = this.append(batch, readBatchHeader(batch), leaderEpoch);
    this.transactions.ended(marker.producerId, offset, marker.committed);
    return offset;
  }

  /**
   * Batches from the one holding `fetchOffset`, up to `maxBytes` in total and below `maxOffset`
   * (the last stable offset at read_committed); the first batch is returned whole even when
   * larger, so a consumer always makes progress (KIP-74).
   */
  read(fetchOffset: bigint, maxBytes: number, maxOffset = this.endOffset): Buffer {
    const parts: Buffer[] = [];
    let size = 0;
    for (let i = this.indexOf(fetchOffset); i < this.batches.length; i++) {
      if (this.batches[i].lastOffset >= maxOffset) break;
      const bytes = this.batches[i].bytes;
      if (parts.length > 0 && size + bytes.length > maxBytes) break;
      parts.push(bytes);
      size += bytes.length;
    }
    return parts.length === 1 ? parts[0] : Buffer.concat(parts, size);
  }

  /** The offset after the last record of what `read` returned from `fetchOffset` (`fetchOffset` if nothing). */
  offsetAfter(fetchOffset: bigint, bytes: number): bigint {
    let size = 0;
    let next = fetchOffset;
    for (let i = this.indexOf(fetchOffset); i < this.batches.length && size < bytes; i++) {
      size += this.batches[i].bytes.length;
      next = this.batches[i].lastOffset + 1n;
    }
    return next;
  }

  /** Bytes available from `fetchOffset` to the end of the log. */
  bytesFrom(fetchOffset: bigint): number {
    let size = 0;
    for (let i = this.indexOf(fetchOffset); i < this.batches.length; i++)
      size += this.batches[i].bytes.length;
    return size;
  }

  /** All stored batches that hold offsets at or after `offset`. */
  batchesFrom(offset: bigint): readonly StoredBatch[] {
    return this.batches.slice(this.indexOf(offset));
  }

  /** Drops whole batches below `offset` and moves logStartOffset there (DeleteRecords). */
  deleteBefore(offset: bigint): void {
    const target = offset > this.endOffset ? this.endOffset : offset;
    if (target <= this.startOffset) return;
    while (this.batches.length > 0 && this.batches[0].lastOffset < target) this.batches.shift();
    this.startOffset = target;
  }

  /** Index of the first batch whose last offset is at or after `offset` (binary search). */
  private indexOf(offset: bigint): number {
    let lo = 0;
    let hi = this.batches.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.batches[mid].lastOffset < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
