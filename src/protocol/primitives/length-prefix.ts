import { DecodeError, EncodeError } from '../errors';
import { underflow, type Cursor } from './layout';
import { readUVarInt, sizeOfUVarInt, writeUVarInt } from './varint';

/**
 * Reads the length (or count) prefix of a string, bytes or array: an unsigned varint holding
 * length + 1 in the compact forms, else a big-endian int16 or int32. Returns -1 for null; a null
 * where the type allows none is a `DecodeError`.
 */
export function readLengthPrefix(
  c: Cursor,
  compact: boolean,
  width: 2 | 4,
  nullable: boolean,
  what: 'string' | 'bytes' | 'array',
): number {
  const start = c.offset;
  let len: number;
  if (compact) {
    len = readUVarInt(c) - 1;
  } else {
    if (c.offset + width > c.end) throw underflow(c, width, `${what} length`);
    len = width === 2 ? c.buf.readInt16BE(c.offset) : c.buf.readInt32BE(c.offset);
    c.offset += width;
  }
  if (len < 0) {
    if (nullable) return -1;
    throw new DecodeError(
      `non-nullable ${what} at offset ${start} ${what === 'bytes' ? 'are' : 'is'} null`,
      start,
    );
  }
  return len;
}

/** The size of the length (or count) prefix of `n`: length + 1 as an unsigned varint when compact, else `width` bytes. */
export function sizeOfLengthPrefix(n: number, compact: boolean, width: 2 | 4): number {
  return compact ? sizeOfUVarInt(n + 1) : width;
}

/** The size of a null's prefix; a null where the type allows none is an `EncodeError`. */
export function sizeOfNullPrefix(
  compact: boolean,
  width: 2 | 4,
  nullable: boolean,
  expected: 'a string' | 'bytes' | 'an array',
): number {
  if (!nullable) throw new EncodeError(`expected ${expected}, got null (not nullable in this version)`);
  return compact ? 1 : width;
}

/** Writes the length (or count) prefix of `n`, -1 for null (0 when compact, which holds length + 1). */
export function writeLengthPrefix(n: number, b: Buffer, o: number, compact: boolean, width: 2 | 4): number {
  if (compact) return writeUVarInt(n + 1, b, o);
  return width === 2 ? b.writeInt16BE(n, o) : b.writeInt32BE(n, o);
}
