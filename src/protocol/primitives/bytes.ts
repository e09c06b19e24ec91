import { EncodeError } from '../errors';
import { describe, KafkaLayout, underflow, type Cursor } from './layout';
import { readLengthPrefix, sizeOfLengthPrefix, sizeOfNullPrefix, writeLengthPrefix } from './length-prefix';

/**
 * Kafka byte blobs: `bytes` and `nullable bytes` have an int32 length (-1 for null);
 * `compact bytes` and `compact nullable bytes` have an unsigned varint length + 1 (0 for null).
 * Decoding returns a view into the source buffer (`subarray`), not a copy. Encode takes any
 * `Uint8Array`.
 */
export class BytesLayout<T extends Buffer | null = Buffer> extends KafkaLayout<T> {
  constructor(
    readonly compact: boolean,
    readonly nullable: boolean,
    property?: string,
  ) {
    super(-1, property);
  }

  read(c: Cursor): T {
    const len = readLengthPrefix(c, this.compact, 4, this.nullable, 'bytes');
    if (len < 0) return null as T;
    if (len > c.end - c.offset) throw underflow(c, len, 'bytes');
    const v = c.buf.subarray(c.offset, c.offset + len);
    c.offset += len;
    return v as T;
  }

  sizeOf(v: T): number {
    if (v === null) return sizeOfNullPrefix(this.compact, 4, this.nullable, 'bytes');
    if (!(v instanceof Uint8Array)) throw new EncodeError(`expected a Buffer, got ${describe(v)}`);
    const n = v.length;
    return sizeOfLengthPrefix(n, this.compact, 4) + n;
  }

  write(v: T, b: Buffer, o: number): number {
    if (v === null) return writeLengthPrefix(-1, b, o, this.compact, 4);
    o = writeLengthPrefix(v.length, b, o, this.compact, 4);
    b.set(v, o);
    return o + v.length;
  }
}

export const bytes = new BytesLayout<Buffer>(false, false);
export const nullableBytes = new BytesLayout<Buffer | null>(false, true);
export const compactBytes = new BytesLayout<Buffer>(true, false);
export const compactNullableBytes = new BytesLayout<Buffer | null>(true, true);
