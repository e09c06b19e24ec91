import { DecodeError, EncodeError } from '../errors';
import { describe, KafkaLayout, underflow, type Cursor } from './layout';

// Kafka's varints are protobuf's: 7 bits a byte, least significant group first, the high bit
// set on every byte but the last; signed ones are zigzag-encoded first (0, -1, 1, -2 -> 0, 1, 2, 3).

/** Reads an unsigned varint of at most 5 bytes (a 32-bit value, as Kafka's `readUnsignedVarint`). */
export function readUVarInt(c: Cursor): number {
  const buf = c.buf;
  const end = c.end;
  let o = c.offset;
  if (o >= end) throw underflow(c, 1, 'varint');
  let b = buf[o++];
  if (b < 0x80) {
    c.offset = o;
    return b;
  }
  let v = b & 0x7f;
  for (let shift = 7; ; shift += 7) {
    if (o >= end) throw underflow(c, o - c.offset + 1, 'varint');
    b = buf[o++];
    if (shift === 28) {
      if (b & 0x80) throw new DecodeError(`varint at offset ${c.offset} is longer than 5 bytes`, c.offset);
      v = (v | (b << 28)) >>> 0;
      break;
    }
    v |= (b & 0x7f) << shift;
    if (b < 0x80) break;
  }
  c.offset = o;
  return v;
}

/** Writes `v` (0 .. 2^32-1) as an unsigned varint; returns the offset after it. */
export function writeUVarInt(v: number, b: Buffer, o: number): number {
  while (v > 0x7f) {
    b[o++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  b[o++] = v;
  return o;
}

/** The encoded size of an unsigned varint. */
export function sizeOfUVarInt(v: number): number {
  return v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x200000 ? 3 : v < 0x10000000 ? 4 : 5;
}

/** Reads a zigzag varint (a signed 32-bit value). */
export function readVarInt(c: Cursor): number {
  const u = readUVarInt(c);
  return (u >>> 1) ^ -(u & 1);
}

/** Writes a signed 32-bit value as a zigzag varint. */
export function writeVarInt(v: number, b: Buffer, o: number): number {
  return writeUVarInt(((v << 1) ^ (v >> 31)) >>> 0, b, o);
}

/** The encoded size of a zigzag varint. */
export function sizeOfVarInt(v: number): number {
  return sizeOfUVarInt(((v << 1) ^ (v >> 31)) >>> 0);
}

/** Reads a zigzag varlong of at most 10 bytes (a signed 64-bit value) as a `bigint`. */
export function readVarLong(c: Cursor): bigint {
  const buf = c.buf;
  const end = c.end;
  let o = c.offset;
  // The first four groups fit a 32-bit number: most varlongs in practice end there.
  let lo = 0;
  let b = 0;
  for (let shift = 0; shift < 28; shift += 7) {
    if (o >= end) throw underflow(c, o - c.offset + 1, 'varlong');
    b = buf[o++];
    lo |= (b & 0x7f) << shift;
    if (b < 0x80) {
      c.offset = o;
      return BigInt((lo >>> 1) ^ -(lo & 1));
    }
  }
  let z = BigInt(lo);
  for (let shift = 28n; ; shift += 7n) {
    if (shift > 63n) throw new DecodeError(`varlong at offset ${c.offset} is longer than 10 bytes`, c.offset);
    if (o >= end) throw underflow(c, o - c.offset + 1, 'varlong');
    b = buf[o++];
    z |= BigInt(b & 0x7f) << shift;
    if (b < 0x80) break;
  }
  z = BigInt.asUintN(64, z);
  c.offset = o;
  return (z >> 1n) ^ -(z & 1n);
}

function zigzag64(v: bigint): bigint {
  return BigInt.asUintN(64, (v << 1n) ^ (v >> 63n));
}

/** Writes a signed 64-bit value as a zigzag varlong. */
export function writeVarLong(v: bigint | number, b: Buffer, o: number): number {
  if (typeof v === 'number' && (v | 0) === v) return writeVarInt(v, b, o);
  let z = zigzag64(BigInt(v));
  while (z > 0x7fn) {
    b[o++] = Number(z & 0x7fn) | 0x80;
    z >>= 7n;
  }
  b[o++] = Number(z);
  return o;
}

/** The encoded size of a zigzag varlong. */
export function sizeOfVarLong(v: bigint | number): number {
  if (typeof v === 'number' && (v | 0) === v) return sizeOfVarInt(v);
  let z = zigzag64(BigInt(v));
  let n = 1;
  while (z > 0x7fn) {
    z >>= 7n;
    n++;
  }
  return n;
}

/** Kafka `unsigned varint`: lengths, counts and tags in flexible versions. */
export class UnsignedVarIntLayout extends KafkaLayout<number> {
  constructor(property?: string) {
    super(-1, property);
  }
  read(c: Cursor): number {
    return readUVarInt(c);
  }
  sizeOf(v: number): number {
    if (v >>> 0 !== v) throw new EncodeError(`expected an unsigned 32-bit integer, got ${describe(v)}`);
    return sizeOfUVarInt(v);
  }
  write(v: number, b: Buffer, o: number): number {
    return writeUVarInt(v, b, o);
  }
}

/** Kafka `varint`: a zigzag-encoded signed 32-bit value (record fields). */
export class VarIntLayout extends KafkaLayout<number> {
  constructor(property?: string) {
    super(-1, property);
  }
  read(c: Cursor): number {
    return readVarInt(c);
  }
  sizeOf(v: number): number {
    if ((v | 0) !== v) throw new EncodeError(`expected an int32, got ${describe(v)}`);
    return sizeOfVarInt(v);
  }
  write(v: number, b: Buffer, o: number): number {
    return writeVarInt(v, b, o);
  }
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Kafka `varlong`: a zigzag-encoded signed 64-bit value, decoded as `bigint`. */
export class VarLongLayout extends KafkaLayout<bigint> {
  constructor(property?: string) {
    super(-1, property);
  }
  read(c: Cursor): bigint {
    return readVarLong(c);
  }
  sizeOf(v: bigint | number): number {
    if (typeof v === 'bigint' ? v < INT64_MIN || v > INT64_MAX : !Number.isSafeInteger(v)) {
      throw new EncodeError(`expected an int64 (a bigint, or a safe integer number), got ${describe(v)}`);
    }
    return sizeOfVarLong(v);
  }
  write(v: bigint | number, b: Buffer, o: number): number {
    return writeVarLong(v, b, o);
  }
}

export const uvarint = new UnsignedVarIntLayout();
export const varint = new VarIntLayout();
export const varlong = new VarLongLayout();
