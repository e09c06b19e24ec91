import { EncodeError } from '../errors';
import { describe, KafkaLayout, underflow, type Cursor } from './layout';

/** Kafka `int8`: one signed byte. */
export class Int8Layout extends KafkaLayout<number> {
  constructor(property?: string) {
    super(1, property);
  }
  read(c: Cursor): number {
    if (c.offset + 1 > c.end) throw underflow(c, 1, 'int8');
    return c.buf.readInt8(c.offset++);
  }
  sizeOf(v: number): number {
    if ((v << 24) >> 24 !== v) throw new EncodeError(`expected an int8, got ${describe(v)}`);
    return 1;
  }
  write(v: number, b: Buffer, o: number): number {
    return b.writeInt8(v, o);
  }
}

/** Kafka `int16`: big-endian signed. */
export class Int16Layout extends KafkaLayout<number> {
  constructor(property?: string) {
    super(2, property);
  }
  read(c: Cursor): number {
    if (c.offset + 2 > c.end) throw underflow(c, 2, 'int16');
    const v = c.buf.readInt16BE(c.offset);
    c.offset += 2;
    return v;
  }
  sizeOf(v: number): number {
    if ((v << 16) >> 16 !== v) throw new EncodeError(`expected an int16, got ${describe(v)}`);
    return 2;
  }
  write(v: number, b: Buffer, o: number): number {
    return b.writeInt16BE(v, o);
  }
}

/** Kafka `uint16`: big-endian unsigned (ports). */
export class UInt16Layout extends KafkaLayout<number> {
  constructor(property?: string) {
    super(2, property);
  }
  read(c: Cursor): number {
    if (c.offset + 2 > c.end) throw underflow(c, 2, 'uint16');
    const v = c.buf.readUInt16BE(c.offset);
    c.offset += 2;
    return v;
  }
  sizeOf(v: number): number {
    if ((v & 0xffff) !== v) throw new EncodeError(`expected a uint16, got ${describe(v)}`);
    return 2;
  }
  write(v: number, b: Buffer, o: number): number {
    return b.writeUInt16BE(v, o);
  }
}

/** Kafka `int32`: big-endian signed. */
export class Int32Layout extends KafkaLayout<number> {
  constructor(property?: string) {
    super(4, property);
  }
  read(c: Cursor): number {
    if (c.offset + 4 > c.end) throw underflow(c, 4, 'int32');
    const v = c.buf.readInt32BE(c.offset);
    c.offset += 4;
    return v;
  }
  sizeOf(v: number): number {
    if ((v | 0) !== v) throw new EncodeError(`expected an int32, got ${describe(v)}`);
    return 4;
  }
  write(v: number, b: Buffer, o: number): number {
    return b.writeInt32BE(v, o);
  }
}

/** Kafka `uint32`: big-endian unsigned. */
export class UInt32Layout extends KafkaLayout<number> {
  constructor(property?: string) {
    super(4, property);
  }
  read(c: Cursor): number {
    if (c.offset + 4 > c.end) throw underflow(c, 4, 'uint32');
    const v = c.buf.readUInt32BE(c.offset);
    c.offset += 4;
    return v;
  }
  sizeOf(v: number): number {
    if (v >>> 0 !== v) throw new EncodeError(`expected a uint32, got ${describe(v)}`);
    return 4;
  }
  write(v: number, b: Buffer, o: number): number {
    return b.writeUInt32BE(v, o);
  }
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * Kafka `int64`: big-endian signed, decoded as `bigint` (offsets and ids exceed 2^53). Encode
 * also takes a safe-integer `number` for convenience.
 */
export class Int64Layout extends KafkaLayout<bigint> {
  constructor(property?: string) {
    super(8, property);
  }
  read(c: Cursor): bigint {
    if (c.offset + 8 > c.end) throw underflow(c, 8, 'int64');
    const v = c.buf.readBigInt64BE(c.offset);
    c.offset += 8;
    return v;
  }
  sizeOf(v: bigint | number): number {
    if (typeof v === 'bigint' ? v < INT64_MIN || v > INT64_MAX : !Number.isSafeInteger(v)) {
      throw new EncodeError(`expected an int64 (a bigint, or a safe integer number), got ${describe(v)}`);
    }
    return 8;
  }
  write(v: bigint | number, b: Buffer, o: number): number {
    return b.writeBigInt64BE(typeof v === 'bigint' ? v : BigInt(v), o);
  }
}

/** Kafka `float64`: big-endian IEEE 754 double. */
export class Float64Layout extends KafkaLayout<number> {
  constructor(property?: string) {
    super(8, property);
  }
  read(c: Cursor): number {
    if (c.offset + 8 > c.end) throw underflow(c, 8, 'float64');
    const v = c.buf.readDoubleBE(c.offset);
    c.offset += 8;
    return v;
  }
  sizeOf(v: number): number {
    if (typeof v !== 'number') throw new EncodeError(`expected a float64, got ${describe(v)}`);
    return 8;
  }
  write(v: number, b: Buffer, o: number): number {
    return b.writeDoubleBE(v, o);
  }
}

export const int8 = new Int8Layout();
export const int16 = new Int16Layout();
export const uint16 = new UInt16Layout();
export const int32 = new Int32Layout();
export const uint32 = new UInt32Layout();
export const int64 = new Int64Layout();
export const float64 = new Float64Layout();
