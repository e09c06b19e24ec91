import { utf8Length, writeUtf8 } from './utf8';
import { sizeOfVarint, sizeOfVarlong, writeVarint, writeVarlong } from './varint';

/** Bytes or text (written as UTF-8) of a record's key, value or header value. */
export type RecordBytes = Buffer | string | null;

/** A record's headers as pairs, as written. */
export type RecordHeaderPairs = readonly (readonly [string, RecordBytes])[];

const NO_HEADERS: RecordHeaderPairs = [];

// -1 for null; `undefined` is written as null too: JavaScript callers may leave a header's value out.
function lengthOf(data: RecordBytes | undefined): number {
  if (data === null || data === undefined) return -1;
  return typeof data === 'string' ? utf8Length(data) : data.length;
}

/** A field's bytes: its length as a varint, then (unless null) its data. */
function fieldSize(length: number): number {
  return length < 0 ? 1 : sizeOfVarint(length) + length;
}

/** Writes a field whose length (`lengthOf`) is known. */
function writeField(out: Buffer, pos: number, data: RecordBytes | undefined, length: number): number {
  pos = writeVarint(out, pos, length);
  if (length < 0) return pos;
  if (typeof data === 'string') return writeUtf8(out, pos, data);
  out.set(data!, pos);
  return pos + length;
}

// Indexed loops, not `for (const [name, data] of ...)`: destructuring goes through an iterator.
function headersSize(headers: RecordHeaderPairs): number {
  let size = sizeOfVarint(headers.length);
  for (let i = 0; i < headers.length; i++) {
    const header = headers[i];
    size += fieldSize(lengthOf(header[0])) + fieldSize(lengthOf(header[1]));
  }
  return size;
}

/** The body size of a v2 record (without its own length prefix), given its key's and value's lengths. */
function bodySize(
  offsetDelta: number,
  timestampDelta: number,
  keyLength: number,
  valueLength: number,
  headers: RecordHeaderPairs,
): number {
  return (
    1 +
    sizeOfVarlong(timestampDelta) +
    sizeOfVarint(offsetDelta) +
    fieldSize(keyLength) +
    fieldSize(valueLength) +
    (headers.length === 0 ? 1 : headersSize(headers))
  );
}

/** The bytes `writeRecord` will take for this record, length prefix included. */
export function recordSize(
  offsetDelta: number,
  timestampDelta: number,
  key: RecordBytes,
  value: RecordBytes,
  headers: RecordHeaderPairs = NO_HEADERS,
): number {
  const body = bodySize(offsetDelta, timestampDelta, lengthOf(key), lengthOf(value), headers);
  return sizeOfVarint(body) + body;
}

/**
 * Writes one v2 record (length, attributes, timestamp and offset deltas, key, value, headers)
 * at `pos` of `out`, strings straight as UTF-8 (no intermediate Buffer); returns the end.
 * `out` must have room for `recordSize(...)` bytes.
 */
export function writeRecord(
  out: Buffer,
  pos: number,
  offsetDelta: number,
  timestampDelta: number,
  key: RecordBytes,
  value: RecordBytes,
  headers: RecordHeaderPairs = NO_HEADERS,
): number {
  // Each length is measured once, for the record's size and for its own field.
  const keyLength = lengthOf(key);
  const valueLength = lengthOf(value);
  pos = writeVarint(out, pos, bodySize(offsetDelta, timestampDelta, keyLength, valueLength, headers));
  out[pos++] = 0; // record attributes: unused
  pos = writeVarlong(out, pos, timestampDelta);
  pos = writeVarint(out, pos, offsetDelta);
  pos = writeField(out, pos, key, keyLength);
  pos = writeField(out, pos, value, valueLength);
  pos = writeVarint(out, pos, headers.length);
  for (let i = 0; i < headers.length; i++) {
    const name = headers[i][0];
    const data = headers[i][1];
    pos = writeField(out, pos, name, lengthOf(name));
    pos = writeField(out, pos, data, lengthOf(data));
  }
  return pos;
}
