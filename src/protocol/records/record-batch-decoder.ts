import { KafkaRxError } from '../../errors';
import { AbortedTransactions, type AbortedTransaction } from './aborted-transactions';
import { COMPRESSION_CODECS, decompress } from './compression';
import { readControlRecordType } from './control-record';
import { crc32c } from './crc32c';
import { CorruptRecordError, UnsupportedMessageFormatError } from './errors';
import * as L from './record-batch-layout';
import type { RecordHeader } from './record-batch-encoder';
import { RecordCursor } from './varint';

/** A record read from a batch. */
export interface DecodedRecord {
  offset: bigint;
  /** Milliseconds since the epoch: CreateTime, or the batch's LogAppendTime. */
  timestamp: number;
  /** A view into the fetched (or decompressed) bytes, not a copy. */
  key: Buffer | null;
  /** A view into the fetched (or decompressed) bytes, not a copy. */
  value: Buffer | null;
  headers: RecordHeader[];
}

/** How to read the records of one partition of a Fetch response. */
export interface DecodeRecordsOptions {
  /** read_committed drops records of aborted transactions. Default read_uncommitted. */
  isolationLevel?: 'read_committed' | 'read_uncommitted';
  /** The partition's AbortedTransactions from the Fetch response (read_committed only). */
  abortedTransactions?: ReadonlyArray<AbortedTransaction>;
  /** Check each batch's CRC-32C. Default true. */
  verifyCrc?: boolean;
  /** Drop records below this offset (a fetch may return a batch that starts earlier). */
  fromOffset?: bigint;
}

/** Records for the user, and where the next fetch should start. */
export interface DecodedRecords {
  records: DecodedRecord[];
  /** Offset after the last complete batch (control and dropped batches included); null when none was complete. */
  nextOffset: bigint | null;
}

const TWO_POW_32 = 4294967296;

/**
 * Decodes the `records` field of one partition of a Fetch response: a concatenation of record
 * batches v2, the last of which may be cut short by the broker's byte limit (it is ignored).
 * Control batches are never returned; under read_committed, aborted transactions are dropped.
 *
 * @throws CorruptRecordError on a bad CRC or malformed bytes; UnsupportedMessageFormatError on magic 0/1.
 */
export function decodeRecords(data: Buffer, options: DecodeRecordsOptions = {}): DecodedRecords {
  const readCommitted = options.isolationLevel === 'read_committed';
  const verifyCrc = options.verifyCrc !== false;
  const fromOffset = options.fromOffset;
  let aborted: AbortedTransactions | undefined;
  const records: DecodedRecord[] = [];
  let nextOffset: bigint | null = null;
  const length = data.length;
  let pos = 0;

  while (length - pos > L.MAGIC) {
    const baseOffset = data.readBigInt64BE(pos + L.BASE_OFFSET);
    const batchLength = data.readInt32BE(pos + L.BATCH_LENGTH);
    // The magic byte sits at the same place in every message format.
    const magic = data.readInt8(pos + L.MAGIC);
    if (magic !== L.CURRENT_MAGIC) {
      if (magic === 0 || magic === 1) throw new UnsupportedMessageFormatError(magic, baseOffset);
      throw new CorruptRecordError(`unknown magic byte ${magic}`, { baseOffset });
    }
    if (batchLength < L.RECORD_BATCH_OVERHEAD - L.LOG_OVERHEAD) {
      throw new CorruptRecordError(`batch length ${batchLength} is shorter than a batch header`, {
        baseOffset,
      });
    }
    const end = pos + L.LOG_OVERHEAD + batchLength;
    if (end > length) break; // cut short by the fetch's byte limit: fetched again next time

    if (verifyCrc) {
      const expected = data.readUInt32BE(pos + L.CRC);
      const actual = crc32c(data, pos + L.ATTRIBUTES, end);
      if (actual !== expected) {
        throw new CorruptRecordError(
          `CRC-32C mismatch: batch says 0x${expected.toString(16)}, bytes give 0x${actual.toString(16)}`,
          { baseOffset },
        );
      }
    }

    const attributes = data.readInt16BE(pos + L.ATTRIBUTES);
    const batchNextOffset = baseOffset + BigInt(data.readInt32BE(pos + L.LAST_OFFSET_DELTA)) + 1n;
    const isControl = (attributes & L.CONTROL_FLAG) !== 0;
    const start = pos;
    pos = end;
    nextOffset = batchNextOffset;

    try {
      if (readCommitted) {
        const producerId = data.readBigInt64BE(start + L.PRODUCER_ID);
        if (producerId !== L.NO_PRODUCER_ID) {
          aborted ??= new AbortedTransactions(options.abortedTransactions ?? []);
          const isAbortMarker = isControl && controlBatchType(data, start, end, attributes) === 'ABORT';
          const transactional = (attributes & L.TRANSACTIONAL_FLAG) !== 0;
          if (aborted.isAborted(producerId, batchNextOffset - 1n, transactional, isAbortMarker)) continue;
        }
      }
      if (isControl) continue;
      if (fromOffset !== undefined && batchNextOffset <= fromOffset) continue;
      readBatch(data, start, end, attributes, fromOffset, records, -1);
    } catch (error) {
      throw withBaseOffset(error, baseOffset);
    }
  }
  return { records, nextOffset };
}

function withBaseOffset(error: unknown, baseOffset: bigint): unknown {
  if (error instanceof CorruptRecordError && error.baseOffset === undefined) {
    return new CorruptRecordError(error.message, { baseOffset, cause: error.cause });
  }
  return error;
}

/** The marker type of a control batch, read from its first record's key. */
function controlBatchType(data: Buffer, start: number, end: number, attributes: number): string {
  const first: DecodedRecord[] = [];
  readBatch(data, start, end, attributes, undefined, first, 1);
  return first.length === 0 ? 'UNKNOWN' : readControlRecordType(first[0].key);
}

/**
 * Reads the records of the batch at `data[start, end)` into `out` (at most `limit` when
 * limit >= 0, without the trailing-bytes check then).
 */
function readBatch(
  data: Buffer,
  start: number,
  end: number,
  attributes: number,
  fromOffset: bigint | undefined,
  out: DecodedRecord[],
  limit: number,
): void {
  const count = data.readInt32BE(start + L.RECORDS_COUNT);
  if (count < 0) throw new CorruptRecordError(`negative record count ${count}`);
  const codecId = attributes & L.COMPRESSION_CODEC_MASK;
  const codec = COMPRESSION_CODECS[codecId];
  if (codec === undefined)
    throw new KafkaRxError('UnsupportedCompression', `unknown compression codec id ${codecId}`);

  let buf = data;
  let pos = start + L.RECORD_BATCH_OVERHEAD;
  let stop = end;
  if (codec !== 'none') {
    buf = decompress(codec, data.subarray(pos, end));
    pos = 0;
    stop = buf.length;
  }

  const baseOffset = data.readBigInt64BE(start + L.BASE_OFFSET);
  const baseTimestamp = readInt64Number(data, start + L.BASE_TIMESTAMP);
  const logAppendTime = (attributes & L.TIMESTAMP_TYPE_LOG_APPEND_TIME) !== 0;
  const maxTimestamp = logAppendTime ? readInt64Number(data, start + L.MAX_TIMESTAMP) : 0;
  const n = limit >= 0 && limit < count ? limit : count;
  const cursor = new RecordCursor(buf, pos, stop);

  for (let i = 0; i < n; i++) {
    cursor.end = stop;
    const size = cursor.readVarint();
    const recordEnd = cursor.pos + size;
    if (size < 0 || recordEnd > stop)
      throw new CorruptRecordError(`record ${i} of ${size} bytes runs past its batch`);
    cursor.end = recordEnd;
    cursor.pos++; // record attributes: unused
    const timestampDelta = cursor.readVarlong();
    const offsetDelta = cursor.readVarint();
    const key = readBytes(cursor);
    const value = readBytes(cursor);
    const headerCount = cursor.readVarint();
    if (headerCount < 0) throw new CorruptRecordError(`record ${i} has ${headerCount} headers`);
    const headers: RecordHeader[] = [];
    for (let h = 0; h < headerCount; h++) {
      const keySize = cursor.readVarint();
      const keyStart = cursor.pos;
      if (keySize < 0 || keyStart + keySize > recordEnd)
        throw new CorruptRecordError(`record ${i} has a bad header key`);
      cursor.pos = keyStart + keySize;
      headers.push([buf.toString('utf8', keyStart, keyStart + keySize), readBytes(cursor)]);
    }
    if (cursor.pos !== recordEnd) {
      throw new CorruptRecordError(
        `record ${i} declares ${size} bytes but its fields take ${cursor.pos - recordEnd + size}`,
      );
    }
    const offset = baseOffset + BigInt(offsetDelta);
    if (fromOffset !== undefined && offset < fromOffset) continue;
    out.push({
      offset,
      timestamp: logAppendTime ? maxTimestamp : baseTimestamp + timestampDelta,
      key,
      value,
      headers,
    });
  }
  if (limit < 0 && cursor.pos !== stop && n > 0) {
    throw new CorruptRecordError(`${stop - cursor.pos} bytes left after the batch's ${count} records`);
  }
  if (limit < 0 && n === 0 && pos !== stop) {
    throw new CorruptRecordError(`${stop - pos} bytes in a batch of 0 records`);
  }
}

function readBytes(cursor: RecordCursor): Buffer | null {
  const size = cursor.readVarint();
  if (size < 0) {
    if (size === -1) return null;
    throw new CorruptRecordError(`negative length ${size}`);
  }
  const begin = cursor.pos;
  const finish = begin + size;
  if (finish > cursor.end) throw new CorruptRecordError(`field of ${size} bytes runs past its record`);
  cursor.pos = finish;
  return cursor.buf.subarray(begin, finish);
}

function readInt64Number(buf: Buffer, pos: number): number {
  return buf.readInt32BE(pos) * TWO_POW_32 + buf.readUInt32BE(pos + 4);
}
