import { KafkaRxError } from '../../errors';
import { AbortedTransactions, type AbortedTransaction } from './aborted-transactions';
import { COMPRESSION_CODECS, decompress } from './compression';
import { readControlRecordType } from './control-record';
import { crc32c } from './crc32c';
import { CorruptRecordError, UnsupportedMessageFormatError } from './errors';
import * as L from './record-batch-layout';
import type { RecordHeader } from './record-batch-encoder';
import { RecordCursor } from './varint';

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

/**
 * Builds the caller's record from the fields of one record, so that reading makes no object of
 * its own. `key` and `value` are views into the fetched (or decompressed) bytes, not copies.
 */
export type RecordFactory<T> = (
  offset: bigint,
  timestamp: number,
  key: Buffer | null,
  value: Buffer | null,
  headers: RecordHeader[],
) => T;

/** The records of one batch still to be read: `buf[pos, stop)` holds them. */
interface BatchSpan {
  buf: Buffer;
  pos: number;
  readonly stop: number;
  /** Records left in the span, those below `fromOffset` included. */
  left: number;
  readonly baseOffset: bigint;
  /** baseOffset as a number, or NaN beyond 2^53 (then offsets are added as bigints). */
  readonly baseOffsetNumber: number;
  readonly baseTimestamp: number;
  /** LogAppendTime batches give every record the batch's maxTimestamp; -1 otherwise. */
  readonly appendTime: number;
  /** `buf` is the fetched bytes (a decompressed batch has a buffer of its own). */
  borrowed: boolean;
}

const TWO_POW_32 = 4294967296;
const NO_FROM_OFFSET = -1n;

/**
 * The records of one partition of a Fetch response, checked up front and read one at a time on
 * demand. Checking (CRC-32C, batch and record framing, decompression, control batches, aborted
 * transactions) happens when it is made, so bad bytes throw before any record is read; reading
 * then makes only the objects the caller keeps, when the caller wants them, so records wait in a
 * buffer as the bytes they came in, not as objects.
 */
export class FetchedRecords {
  /** Records left to read. */
  count = 0;
  /** Encoded bytes of the records left to read (after decompression). */
  bytes = 0;
  /** Offset after the last complete batch (control and dropped batches included); null when none was complete. */
  nextOffset: bigint | null = null;
  private readonly spans: BatchSpan[] = [];
  private index = 0;
  private readonly cursor = new RecordCursor(EMPTY, 0, 0);
  private readonly fromOffset: bigint;

  /** @internal Use readRecordBatches. */
  constructor(fromOffset: bigint | undefined) {
    this.fromOffset = fromOffset ?? NO_FROM_OFFSET;
  }

  /** Reads the next record through `make`. Call only while `count > 0`. */
  next<T>(make: RecordFactory<T>): T {
    const cursor = this.cursor;
    const fromOffset = this.fromOffset;
    while (this.index < this.spans.length) {
      const span = this.spans[this.index];
      if (span.left === 0) {
        this.spans[this.index++] = undefined as unknown as BatchSpan;
        continue;
      }
      cursor.buf = span.buf;
      cursor.pos = span.pos;
      cursor.end = span.stop;
      const size = cursor.readVarint();
      const start = cursor.pos;
      const recordEnd = start + size;
      cursor.end = recordEnd;
      cursor.pos++; // record attributes: unused
      const timestampDelta = cursor.readVarlong();
      const offsetDelta = cursor.readVarint();
      span.left--;
      const n = span.baseOffsetNumber + offsetDelta;
      const offset = Number.isSafeInteger(n) ? BigInt(n) : span.baseOffset + BigInt(offsetDelta);
      if (offset < fromOffset) {
        span.pos = recordEnd;
        continue;
      }
      const key = readBytes(cursor);
      const value = readBytes(cursor);
      const headerCount = cursor.readVarint();
      const headers: RecordHeader[] = [];
      for (let h = 0; h < headerCount; h++) {
        const keySize = cursor.readVarint();
        const keyStart = cursor.pos;
        cursor.pos = keyStart + keySize;
        headers.push([cursor.buf.toString('utf8', keyStart, keyStart + keySize), readBytes(cursor)]);
      }
      this.bytes -= recordEnd - span.pos;
      this.count--;
      span.pos = recordEnd;
      return make(
        offset,
        span.appendTime >= 0 ? span.appendTime : span.baseTimestamp + timestampDelta,
        key,
        value,
        headers,
      );
    }
    throw new KafkaRxError('NoMoreRecords', 'FetchedRecords.next() called with no record left');
  }

  /**
   * Copies the bytes of the records left into a buffer of their own, so that they no longer keep
   * the whole Fetch response alive (for records that wait: a paused partition, no subscriber).
   */
  detach(): void {
    let size = 0;
    for (let i = this.index; i < this.spans.length; i++) {
      const s = this.spans[i];
      if (s.borrowed && s.left > 0) size += s.stop - s.pos;
    }
    if (size === 0) return;
    const copy = Buffer.allocUnsafe(size);
    let at = 0;
    for (let i = this.index; i < this.spans.length; i++) {
      const s = this.spans[i];
      if (!s.borrowed || s.left === 0) continue;
      const length = s.stop - s.pos;
      s.buf.copy(copy, at, s.pos, s.stop);
      this.spans[i] = { ...s, buf: copy, pos: at, stop: at + length, borrowed: false };
      at += length;
    }
  }

  /** @internal */
  addSpan(span: BatchSpan, count: number, bytes: number): void {
    this.spans.push(span);
    this.count += count;
    this.bytes += bytes;
  }
}

const EMPTY = Buffer.alloc(0);

/**
 * Checks the `records` field of one partition of a Fetch response (a concatenation of record
 * batches v2, the last of which may be cut short by the broker's byte limit: it is ignored) and
 * returns its records, to be read one at a time. Control batches are never returned; under
 * read_committed, aborted transactions are dropped.
 *
 * @throws CorruptRecordError on a bad CRC or malformed bytes; UnsupportedMessageFormatError on magic 0/1.
 */
export function readRecordBatches(data: Buffer, options: DecodeRecordsOptions = {}): FetchedRecords {
  const readCommitted = options.isolationLevel === 'read_committed';
  const verifyCrc = options.verifyCrc !== false;
  const fromOffset = options.fromOffset;
  const result = new FetchedRecords(fromOffset);
  let aborted: AbortedTransactions | undefined;
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
    result.nextOffset = batchNextOffset;

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
      checkBatch(data, start, end, attributes, fromOffset ?? NO_FROM_OFFSET, result);
    } catch (error) {
      throw withBaseOffset(error, baseOffset);
    }
  }
  return result;
}

function withBaseOffset(error: unknown, baseOffset: bigint): unknown {
  if (error instanceof CorruptRecordError && error.baseOffset === undefined) {
    return new CorruptRecordError(error.message, { baseOffset, cause: error.cause });
  }
  return error;
}

/** The marker type of a control batch, read from its first record's key. */
function controlBatchType(data: Buffer, start: number, end: number, attributes: number): string {
  const span = batchSpan(data, start, end, attributes);
  if (span.left === 0) return 'UNKNOWN';
  const cursor = new RecordCursor(span.buf, span.pos, span.stop);
  const size = cursor.readVarint();
  const recordEnd = cursor.pos + size;
  if (size < 0 || recordEnd > span.stop)
    throw new CorruptRecordError(`record 0 of ${size} bytes runs past its batch`);
  cursor.end = recordEnd;
  cursor.pos++;
  cursor.readVarlong();
  cursor.readVarint();
  return readControlRecordType(readBytes(cursor));
}

/** The records of the batch at `data[start, end)`, decompressed if need be, not yet checked. */
function batchSpan(data: Buffer, start: number, end: number, attributes: number): BatchSpan {
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
  const logAppendTime = (attributes & L.TIMESTAMP_TYPE_LOG_APPEND_TIME) !== 0;
  return {
    buf,
    pos,
    stop,
    left: count,
    baseOffset,
    baseOffsetNumber: baseOffset <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(baseOffset) : NaN,
    baseTimestamp: readInt64Number(data, start + L.BASE_TIMESTAMP),
    appendTime: logAppendTime ? readInt64Number(data, start + L.MAX_TIMESTAMP) : -1,
    borrowed: codec === 'none',
  };
}

/**
 * Walks every record of the batch at `data[start, end)` without making objects, checking that
 * each field lies inside its record and each record inside the batch, and adds the batch to
 * `out` with the count and bytes of its records at or above `fromOffset`.
 */
function checkBatch(
  data: Buffer,
  start: number,
  end: number,
  attributes: number,
  fromOffset: bigint,
  out: FetchedRecords,
): void {
  const span = batchSpan(data, start, end, attributes);
  const { buf, stop, left: count } = span;
  const cursor = new RecordCursor(buf, span.pos, stop);
  let counted = 0;
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    cursor.end = stop;
    const recordStart = cursor.pos;
    const size = cursor.readVarint();
    const recordEnd = cursor.pos + size;
    if (size < 0 || recordEnd > stop)
      throw new CorruptRecordError(`record ${i} of ${size} bytes runs past its batch`);
    cursor.end = recordEnd;
    cursor.pos++; // record attributes: unused
    cursor.readVarlong();
    const offsetDelta = cursor.readVarint();
    skipBytes(cursor);
    skipBytes(cursor);
    const headerCount = cursor.readVarint();
    if (headerCount < 0) throw new CorruptRecordError(`record ${i} has ${headerCount} headers`);
    for (let h = 0; h < headerCount; h++) {
      const keySize = cursor.readVarint();
      if (keySize < 0 || cursor.pos + keySize > recordEnd)
        throw new CorruptRecordError(`record ${i} has a bad header key`);
      cursor.pos += keySize;
      skipBytes(cursor);
    }
    if (cursor.pos !== recordEnd) {
      throw new CorruptRecordError(
        `record ${i} declares ${size} bytes but its fields take ${cursor.pos - recordEnd + size}`,
      );
    }
    if (fromOffset === NO_FROM_OFFSET || span.baseOffset + BigInt(offsetDelta) >= fromOffset) {
      counted++;
      bytes += recordEnd - recordStart;
    }
  }
  if (count > 0 && cursor.pos !== stop) {
    throw new CorruptRecordError(`${stop - cursor.pos} bytes left after the batch's ${count} records`);
  }
  if (count === 0 && span.pos !== stop) {
    throw new CorruptRecordError(`${stop - span.pos} bytes in a batch of 0 records`);
  }
  if (counted > 0) out.addSpan(span, counted, bytes);
}

/** Moves past a length-prefixed field (-1: null), checking it lies inside the record. */
function skipBytes(cursor: RecordCursor): void {
  const size = cursor.readVarint();
  if (size < 0) {
    if (size === -1) return;
    throw new CorruptRecordError(`negative length ${size}`);
  }
  if (cursor.pos + size > cursor.end)
    throw new CorruptRecordError(`field of ${size} bytes runs past its record`);
  cursor.pos += size;
}

/** Reads a length-prefixed field (-1: null) as a view. */
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
