/** Record headers: an object (one value per name) or a list of pairs (repeated names allowed). */
export type ProducerRecordHeaders =
  Readonly<Record<string, Buffer | string>> | readonly (readonly [string, Buffer | string | null])[];

/** A record to produce. Strings are written as UTF-8. */
export interface ProducerRecord {
  readonly topic: string;
  /** An explicit partition; otherwise the partitioner chooses (murmur2 of the key, or sticky when there is none). */
  readonly partition?: number;
  readonly key?: Buffer | string | null;
  readonly value: Buffer | string | null;
  readonly headers?: ProducerRecordHeaders;
  /** CreateTime in milliseconds since the epoch; the clock's time when omitted. */
  readonly timestamp?: number;
}

/** Where an acknowledged record was written. */
export interface RecordMetadata {
  readonly topic: string;
  readonly partition: number;
  /** The record's offset; `-1n` when the broker did not say (acks=0, or a duplicate of an earlier write). */
  readonly offset: bigint;
  /** The broker's LogAppendTime when the topic uses it, else the record's CreateTime. */
  readonly timestamp: number;
  /** For `JSON.stringify`: the offset as a decimal string (metadata from the producer has it). */
  toJSON?(): object;
}

function byteLength(data: Buffer | string | null | undefined): number {
  if (data === null || data === undefined) return 0;
  return typeof data === 'string' ? Buffer.byteLength(data, 'utf8') : data.length;
}

/**
 * An upper bound of a record's size inside a batch (v2 record: length, attributes, timestamp and
 * offset deltas, key, value and header lengths as varints of at most 5 bytes each). Taken from the
 * record as sent, so it can be checked (and room in `bufferMemory` found) before it is converted.
 */
export function estimateRecordSize(record: ProducerRecord): number {
  let size = 1 + 5 + 10 + 5 + 5 + 5 + 5 + byteLength(record.key) + byteLength(record.value);
  const headers = record.headers;
  if (Array.isArray(headers)) {
    for (const [name, value] of headers as readonly (readonly [string, Buffer | string | null])[])
      size += 10 + Buffer.byteLength(name) + byteLength(value);
  } else if (headers) {
    for (const [name, value] of Object.entries(headers))
      size += 10 + Buffer.byteLength(name) + byteLength(value);
  }
  return size;
}

/** The fixed part of a v2 record batch (baseOffset through the record count). */
export const RECORD_BATCH_OVERHEAD = 61;
