import { CorruptRecordError } from './errors';

/**
 * Zigzag varints as records v2 use them (the protobuf encoding): varint for int32 fields,
 * varlong for the timestamp delta. Readers check every byte against the end of the record,
 * so a malformed length gives a CorruptRecordError, never a read past the batch.
 */

/** A read position inside `buf[pos, end)`. */
export class RecordCursor {
  constructor(
    public buf: Buffer,
    public pos: number,
    public end: number,
  ) {}

  /** Zigzag varint (int32), at most 5 bytes. */
  readVarint(): number {
    const buf = this.buf;
    let pos = this.pos;
    const end = this.end;
    if (pos >= end) throw truncated();
    let b = buf[pos++];
    let u = b & 0x7f;
    if (b & 0x80) {
      if (pos >= end) throw truncated();
      b = buf[pos++];
      u |= (b & 0x7f) << 7;
      if (b & 0x80) {
        if (pos >= end) throw truncated();
        b = buf[pos++];
        u |= (b & 0x7f) << 14;
        if (b & 0x80) {
          if (pos >= end) throw truncated();
          b = buf[pos++];
          u |= (b & 0x7f) << 21;
          if (b & 0x80) {
            if (pos >= end) throw truncated();
            b = buf[pos++];
            if (b & 0x80) throw new CorruptRecordError('varint longer than 5 bytes');
            u |= b << 28;
          }
        }
      }
    }
    this.pos = pos;
    return (u >>> 1) ^ -(u & 1);
  }

  /** Zigzag varlong (int64) as a number, at most 10 bytes; exact up to 2^53 in magnitude. */
  readVarlong(): number {
    const buf = this.buf;
    let pos = this.pos;
    const end = this.end;
    let u = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (pos >= end) throw truncated();
      const b = buf[pos++];
      u += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) {
        this.pos = pos;
        return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
      }
      scale *= 128;
    }
    throw new CorruptRecordError('varlong longer than 10 bytes');
  }
}

function truncated(): CorruptRecordError {
  return new CorruptRecordError('record runs past the end of its batch');
}

/** Bytes taken by `value` (int32) as a zigzag varint. */
export function sizeOfVarint(value: number): number {
  let u = ((value << 1) ^ (value >> 31)) >>> 0;
  let size = 1;
  while (u >= 0x80) {
    u >>>= 7;
    size++;
  }
  return size;
}

/** Bytes taken by `value` (a safe integer) as a zigzag varlong. */
export function sizeOfVarlong(value: number): number {
  let u = value >= 0 ? value * 2 : -value * 2 - 1;
  let size = 1;
  while (u >= 0x80) {
    u = Math.floor(u / 128);
    size++;
  }
  return size;
}

/** Writes `value` (int32) as a zigzag varint at `pos`; returns the position after it. */
export function writeVarint(buf: Buffer, pos: number, value: number): number {
  let u = ((value << 1) ^ (value >> 31)) >>> 0;
  while (u >= 0x80) {
    buf[pos++] = (u & 0x7f) | 0x80;
    u >>>= 7;
  }
  buf[pos++] = u;
  return pos;
}

/** Writes `value` (a safe integer) as a zigzag varlong at `pos`; returns the position after it. */
export function writeVarlong(buf: Buffer, pos: number, value: number): number {
  let u = value >= 0 ? value * 2 : -value * 2 - 1;
  while (u >= 0x80) {
    buf[pos++] = (u % 128) | 0x80;
    u = Math.floor(u / 128);
  }
  buf[pos++] = u;
  return pos;
}
