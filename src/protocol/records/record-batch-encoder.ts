import { KafkaRxError } from '../../errors';
import { compress, compressionId, type Compression } from './compression';
import { crc32c } from './crc32c';
import * as L from './record-batch-layout';
import { sizeOfVarint, sizeOfVarlong, writeVarint, writeVarlong } from './varint';

/** A record header: a UTF-8 key and a value (null allowed). */
export type RecordHeader = [string, Buffer | null];

/** One record to write into a batch. */
export interface ProducerRecordInput {
  key?: Buffer | null;
  value: Buffer | null;
  headers?: RecordHeader[];
  /** CreateTime, milliseconds since the epoch. */
  timestamp: number;
}

/** Header fields of a batch to write; defaults are those of a non-idempotent producer. */
export interface RecordBatchOptions {
  baseOffset?: bigint;
  compression?: Compression;
  /** -1n (none) unless idempotent or transactional. */
  producerId?: bigint;
  producerEpoch?: number;
  baseSequence?: number;
  transactional?: boolean;
  /** -1 (none) when written by a producer; the broker assigns it. */
  partitionLeaderEpoch?: number;
}

/** Internal: the control flag is set only by control batches. */
export interface BatchAttributes {
  control?: boolean;
}

const EMPTY_HEADERS: RecordHeader[] = [];

/**
 * Encodes `records` as one record batch v2 (magic 2) with its CRC-32C filled in.
 * Offset deltas are the records' positions; timestamp deltas are from the first record's
 * timestamp, and maxTimestamp is the largest.
 */
export function encodeRecordBatch(
  records: readonly ProducerRecordInput[],
  options: RecordBatchOptions = {},
): Buffer {
  return encodeBatch(records, options, {});
}

/** Encodes a batch; `attributes.control` marks a control batch (COMMIT/ABORT markers). */
export function encodeBatch(
  records: readonly ProducerRecordInput[],
  options: RecordBatchOptions,
  attributes: BatchAttributes,
): Buffer {
  const count = records.length;
  if (count === 0) throw new KafkaRxError('InvalidRecordBatch', 'a record batch needs at least one record');
  const codec = options.compression ?? 'none';
  const baseTimestamp = records[0].timestamp;
  let maxTimestamp = baseTimestamp;

  // Measure every record first, so the batch is allocated once.
  const bodySizes = new Array<number>(count);
  const headerKeySizes: number[] = [];
  let recordsSize = 0;
  for (let i = 0; i < count; i++) {
    const r = records[i];
    if (!Number.isSafeInteger(r.timestamp)) {
      throw new KafkaRxError(
        'InvalidRecord',
        `record ${i} has timestamp ${r.timestamp}, not an integer of milliseconds`,
      );
    }
    if (r.timestamp > maxTimestamp) maxTimestamp = r.timestamp;
    const key = r.key ?? null;
    const headers = r.headers ?? EMPTY_HEADERS;
    let size =
      1 +
      sizeOfVarlong(r.timestamp - baseTimestamp) +
      sizeOfVarint(i) +
      (key === null ? 1 : sizeOfVarint(key.length) + key.length) +
      (r.value === null ? 1 : sizeOfVarint(r.value.length) + r.value.length) +
      sizeOfVarint(headers.length);
    for (const [hKey, hValue] of headers) {
      const keySize = Buffer.byteLength(hKey, 'utf8');
      headerKeySizes.push(keySize);
      size +=
        sizeOfVarint(keySize) + keySize + (hValue === null ? 1 : sizeOfVarint(hValue.length) + hValue.length);
    }
    bodySizes[i] = size;
    recordsSize += sizeOfVarint(size) + size;
  }

  const uncompressed = codec === 'none';
  let batch: Buffer;
  if (uncompressed) {
    batch = Buffer.allocUnsafe(L.RECORD_BATCH_OVERHEAD + recordsSize);
    writeRecords(batch, L.RECORD_BATCH_OVERHEAD, records, bodySizes, headerKeySizes, baseTimestamp);
  } else {
    const plain = Buffer.allocUnsafe(recordsSize);
    writeRecords(plain, 0, records, bodySizes, headerKeySizes, baseTimestamp);
    const compressed = compress(codec, plain);
    batch = Buffer.allocUnsafe(L.RECORD_BATCH_OVERHEAD + compressed.length);
    compressed.copy(batch, L.RECORD_BATCH_OVERHEAD);
  }

  writeBatchHeader(batch, count, baseTimestamp, maxTimestamp, options, attributes);
  return batch;
}

/** What `sealRecordBatch` needs besides the records: their count and timestamps. */
export interface WrittenRecords {
  /** `RECORD_BATCH_OVERHEAD` bytes of room, then the records as `writeRecord` wrote them. */
  readonly buffer: Buffer;
  /** Where the records end in `buffer`. */
  readonly end: number;
  readonly count: number;
  readonly baseTimestamp: number;
  readonly maxTimestamp: number;
}

/**
 * Makes a record batch v2 of records already written (by `writeRecord`, offset deltas from 0,
 * timestamp deltas from `baseTimestamp`) after `RECORD_BATCH_OVERHEAD` bytes of room. Without
 * compression the header is written into that room and the batch is `buffer` itself, so the
 * records are never copied; it may be sealed again, e.g. with a new sequence number.
 */
export function sealRecordBatch(records: WrittenRecords, options: RecordBatchOptions = {}): Buffer {
  const { buffer, end, count, baseTimestamp, maxTimestamp } = records;
  if (count === 0) throw new KafkaRxError('InvalidRecordBatch', 'a record batch needs at least one record');
  const codec = options.compression ?? 'none';
  let batch: Buffer;
  if (codec === 'none') {
    batch = buffer.subarray(0, end);
  } else {
    const compressed = compress(codec, buffer.subarray(L.RECORD_BATCH_OVERHEAD, end));
    batch = Buffer.allocUnsafe(L.RECORD_BATCH_OVERHEAD + compressed.length);
    compressed.copy(batch, L.RECORD_BATCH_OVERHEAD);
  }
  writeBatchHeader(batch, count, baseTimestamp, maxTimestamp, options, {});
  return batch;
}

/** Fills in a batch's first `RECORD_BATCH_OVERHEAD` bytes, its CRC-32C last. */
function writeBatchHeader(
  batch: Buffer,
  count: number,
  baseTimestamp: number,
  maxTimestamp: number,
  options: RecordBatchOptions,
  attributes: BatchAttributes,
): void {
  let flags = compressionId(options.compression ?? 'none');
  if (options.transactional) flags |= L.TRANSACTIONAL_FLAG;
  if (attributes.control) flags |= L.CONTROL_FLAG;
  batch.writeBigInt64BE(options.baseOffset ?? 0n, L.BASE_OFFSET);
  batch.writeInt32BE(batch.length - L.LOG_OVERHEAD, L.BATCH_LENGTH);
  batch.writeInt32BE(options.partitionLeaderEpoch ?? -1, L.PARTITION_LEADER_EPOCH);
  batch.writeInt8(L.CURRENT_MAGIC, L.MAGIC);
  batch.writeInt16BE(flags, L.ATTRIBUTES);
  batch.writeInt32BE(count - 1, L.LAST_OFFSET_DELTA);
  batch.writeBigInt64BE(BigInt(baseTimestamp), L.BASE_TIMESTAMP);
  batch.writeBigInt64BE(BigInt(maxTimestamp), L.MAX_TIMESTAMP);
  batch.writeBigInt64BE(options.producerId ?? L.NO_PRODUCER_ID, L.PRODUCER_ID);
  batch.writeInt16BE(options.producerEpoch ?? -1, L.PRODUCER_EPOCH);
  batch.writeInt32BE(options.baseSequence ?? -1, L.BASE_SEQUENCE);
  batch.writeInt32BE(count, L.RECORDS_COUNT);
  batch.writeUInt32BE(crc32c(batch, L.ATTRIBUTES, batch.length), L.CRC);
}

function writeRecords(
  out: Buffer,
  start: number,
  records: readonly ProducerRecordInput[],
  bodySizes: number[],
  headerKeySizes: number[],
  baseTimestamp: number,
): void {
  let pos = start;
  let h = 0;
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    pos = writeVarint(out, pos, bodySizes[i]);
    out[pos++] = 0; // record attributes: unused
    pos = writeVarlong(out, pos, r.timestamp - baseTimestamp);
    pos = writeVarint(out, pos, i);
    pos = writeBytes(out, pos, r.key ?? null);
    pos = writeBytes(out, pos, r.value);
    const headers = r.headers ?? EMPTY_HEADERS;
    pos = writeVarint(out, pos, headers.length);
    for (const [hKey, hValue] of headers) {
      const keySize = headerKeySizes[h++];
      pos = writeVarint(out, pos, keySize);
      pos += out.write(hKey, pos, keySize, 'utf8');
      pos = writeBytes(out, pos, hValue);
    }
  }
}

function writeBytes(out: Buffer, pos: number, bytes: Buffer | null): number {
  if (bytes === null) return writeVarint(out, pos, -1);
  pos = writeVarint(out, pos, bytes.length);
  bytes.copy(out, pos);
  return pos + bytes.length;
}
