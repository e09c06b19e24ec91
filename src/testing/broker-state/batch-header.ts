import {
  ATTRIBUTES,
  BASE_OFFSET,
  BASE_SEQUENCE,
  BASE_TIMESTAMP,
  BATCH_LENGTH,
  CONTROL_FLAG,
  CRC,
  CURRENT_MAGIC,
  LAST_OFFSET_DELTA,
  LOG_OVERHEAD,
  MAGIC,
  MAX_TIMESTAMP,
  PRODUCER_EPOCH,
  PRODUCER_ID,
  RECORD_BATCH_OVERHEAD,
  RECORDS_COUNT,
  TRANSACTIONAL_FLAG,
} from '../../protocol/records/record-batch-layout';
import { crc32c } from '../../protocol/records/crc32c';

/** What a broker reads from a record batch v2 header without decoding its records. */
export interface BatchHeader {
  readonly baseOffset: bigint;
  /** Bytes of the whole batch, header included. */
  readonly size: number;
  readonly attributes: number;
  readonly lastOffsetDelta: number;
  readonly baseTimestamp: bigint;
  readonly maxTimestamp: bigint;
  readonly producerId: bigint;
  readonly producerEpoch: number;
  readonly baseSequence: number;
  readonly recordCount: number;
  readonly isTransactional: boolean;
  readonly isControl: boolean;
}

/** Why a produced records blob was refused, by the Kafka error a broker answers with. */
export type BatchProblem = 'corrupt' | 'unsupported-magic';

/** Reads the header of the batch that starts at `pos`. The caller checks that 61 bytes are there. */
export function readBatchHeader(buf: Buffer, pos = 0): BatchHeader {
  const attributes = buf.readInt16BE(pos + ATTRIBUTES);
  return {
    baseOffset: buf.readBigInt64BE(pos + BASE_OFFSET),
    size: LOG_OVERHEAD + buf.readInt32BE(pos + BATCH_LENGTH),
    attributes,
    lastOffsetDelta: buf.readInt32BE(pos + LAST_OFFSET_DELTA),
    baseTimestamp: buf.readBigInt64BE(pos + BASE_TIMESTAMP),
    maxTimestamp: buf.readBigInt64BE(pos + MAX_TIMESTAMP),
    producerId: buf.readBigInt64BE(pos + PRODUCER_ID),
    producerEpoch: buf.readInt16BE(pos + PRODUCER_EPOCH),
    baseSequence: buf.readInt32BE(pos + BASE_SEQUENCE),
    recordCount: buf.readInt32BE(pos + RECORDS_COUNT),
    isTransactional: (attributes & TRANSACTIONAL_FLAG) !== 0,
    isControl: (attributes & CONTROL_FLAG) !== 0,
  };
}

/** One batch of a produced blob: its header and a view of its bytes. */
export interface ProducedBatch {
  readonly header: BatchHeader;
  readonly bytes: Buffer;
}

/**
 * Splits a Produce request's records into batches, checking what a broker checks before
 * appending: magic 2, lengths that add up, at least one record, and the CRC-32C.
 */
export function splitBatches(records: Buffer): ProducedBatch[] | BatchProblem {
  const batches: ProducedBatch[] = [];
  let pos = 0;
  while (pos < records.length) {
    if (records.length - pos < RECORD_BATCH_OVERHEAD) return 'corrupt';
    if (records.readInt8(pos + MAGIC) !== CURRENT_MAGIC) return 'unsupported-magic';
    const header = readBatchHeader(records, pos);
    if (header.size < RECORD_BATCH_OVERHEAD || pos + header.size > records.length) return 'corrupt';
    if (header.recordCount <= 0 || header.lastOffsetDelta < 0) return 'corrupt';
    const bytes = records.subarray(pos, pos + header.size);
    if (crc32c(bytes, ATTRIBUTES) !== bytes.readUInt32BE(CRC)) return 'corrupt';
    batches.push({ header, bytes });
    pos += header.size;
  }
  return batches.length === 0 ? 'corrupt' : batches;
}
