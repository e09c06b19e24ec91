import type { RecordHeader } from './record-batch-encoder';
import { readRecordBatches, type DecodeRecordsOptions } from './fetched-records';

export type { DecodeRecordsOptions } from './fetched-records';

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

/** Records for the user, and where the next fetch should start. */
export interface DecodedRecords {
  records: DecodedRecord[];
  /** Offset after the last complete batch (control and dropped batches included); null when none was complete. */
  nextOffset: bigint | null;
}

const decodedRecord = (
  offset: bigint,
  timestamp: number,
  key: Buffer | null,
  value: Buffer | null,
  headers: RecordHeader[],
): DecodedRecord => ({ offset, timestamp, key, value, headers });

/**
 * Decodes the `records` field of one partition of a Fetch response: a concatenation of record
 * batches v2, the last of which may be cut short by the broker's byte limit (it is ignored).
 * Control batches are never returned; under read_committed, aborted transactions are dropped.
 * Every record at once; `readRecordBatches` reads them one at a time.
 *
 * @throws CorruptRecordError on a bad CRC or malformed bytes; UnsupportedMessageFormatError on magic 0/1.
 */
export function decodeRecords(data: Buffer, options: DecodeRecordsOptions = {}): DecodedRecords {
  const fetched = readRecordBatches(data, options);
  const records: DecodedRecord[] = [];
  while (fetched.count > 0) records.push(fetched.next(decodedRecord));
  return { records, nextOffset: fetched.nextOffset };
}
