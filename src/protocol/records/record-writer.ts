import { sizeOfVarint, sizeOfVarlong, writeVarint, writeVarlong } from './varint';

/** Bytes or text (written as UTF-8) of a record's key, value or header value. */
export type RecordBytes = Buffer | string | null;

/** A record's headers as pairs, as written. */
export type RecordHeaderPairs = readonly (readonly [string, RecordBytes])[];

const NO_HEADERS: RecordHeaderPairs = [];

// `undefined` is written as null too: JavaScript callers may leave a header's value out.
function fieldSize(data: RecordBytes | undefined): number {
  if (data === null || data === undefined) return 1;
  const length = typeof data === 'string' ? Buffer.byteLength(data, 'utf8') : data.length;
  return sizeOfVarint(length) + length;
}

function writeField(out: Buffer, pos: number, data: RecordBytes | undefined): number {
  if (data === null || data === undefined) return writeVarint(out, pos, -1);
  if (typeof data === 'string') {
    const length = Buffer.byteLength(data, 'utf8');
    pos = writeVarint(out, pos, length);
    return pos + out.write(data, pos, length, 'utf8');
  }
  pos = writeVarint(out, pos, data.length);
  out.set(data, pos);
  return pos + data.length;
}

/** The body size of a v2 record (without its own length prefix). */
function bodySize(
  offsetDelta: number,
  timestampDelta: number,
  key: RecordBytes,
  value: RecordBytes,
  headers: RecordHeaderPairs,
): number {
  let size =
    1 +
    sizeOfVarlong(timestampDelta) +
    sizeOfVarint(offsetDelta) +
    fieldSize(key) +
    fieldSize(value) +
    sizeOfVarint(headers.length);
  for (const [name, data] of headers) size += fieldSize(name) + fieldSize(data);
  return size;
}

/** The bytes `writeRecord` will take for this record, length prefix included. */
export function recordSize(
  offsetDelta: number,
  timestampDelta: number,
  key: RecordBytes,
  value: RecordBytes,
  headers: RecordHeaderPairs = NO_HEADERS,
): number {
  const body = bodySize(offsetDelta, timestampDelta, key, value, headers);
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
  pos = writeVarint(out, pos, bodySize(offsetDelta, timestampDelta, key, value, headers));
  out[pos++] = 0; // record attributes: unused
  pos = writeVarlong(out, pos, timestampDelta);
  pos = writeVarint(out, pos, offsetDelta);
  pos = writeField(out, pos, key);
  pos = writeField(out, pos, value);
  pos = writeVarint(out, pos, headers.length);
  for (const [name, data] of headers) {
    pos = writeField(out, pos, name);
    pos = writeField(out, pos, data);
  }
  return pos;
}
