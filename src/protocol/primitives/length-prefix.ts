import { DecodeError } from '../errors';
import { underflow, type Cursor } from './layout';
import { readUVarInt } from './varint';

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
