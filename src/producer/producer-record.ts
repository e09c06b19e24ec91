import { utf8Length } from '../protocol/records/utf8';

/** Record headers: an object (one value per name) or a list of pairs (repeated names allowed). */
export type ProducerRecordHeaders<H = Buffer | string> =
  Readonly<Record<string, H>> | readonly (readonly [string, H | null])[];

/**
 * A record to produce. Strings are written as UTF-8. `K`, `V` and `H` are what the producer's
 * serializers take for the key, the value and each header value (`Buffer` or string without them).
 */
export interface ProducerRecord<K = Buffer | string, V = Buffer | string, H = Buffer | string> {
  readonly topic: string;
  /** An explicit partition; otherwise the partitioner chooses (murmur2 of the key, or sticky when there is none). */
  readonly partition?: number;
  readonly key?: K | null;
  readonly value: V | null;
  readonly headers?: ProducerRecordHeaders<H>;
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

/** Bytes of a part; 0 for what is not bytes yet (a value for a serializer: the send measures it again once serialized). */
function byteLength(data: unknown): number {
  if (typeof data === 'string') return utf8Length(data);
  return Buffer.isBuffer(data) ? data.length : 0;
}

/**
 * An upper bound of a record's size inside a batch (v2 record: length, attributes, timestamp and
 * offset deltas, key, value and header lengths as varints of at most 5 bytes each). Taken from the
 * record as sent, so it can be checked (and room in `bufferMemory` found) before it is converted.
 */
export function estimateRecordSize(record: ProducerRecord<unknown, unknown, unknown>): number {
  let size = 1 + 5 + 10 + 5 + 5 + 5 + 5 + byteLength(record.key) + byteLength(record.value);
  const headers = record.headers;
  if (Array.isArray(headers)) {
    for (const [name, value] of headers as readonly (readonly [string, unknown])[])
      size += 10 + utf8Length(name) + byteLength(value);
  } else if (headers) {
    for (const [name, value] of Object.entries(headers)) size += 10 + utf8Length(name) + byteLength(value);
  }
  return size;
}

/** The fixed part of a v2 record batch (baseOffset through the record count). */
export const RECORD_BATCH_OVERHEAD = 61;
