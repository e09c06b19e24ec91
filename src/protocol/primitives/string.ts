import { DecodeError, EncodeError } from '../errors';
import { describe, KafkaLayout, underflow, type Cursor } from './layout';
import { readLengthPrefix, sizeOfLengthPrefix, sizeOfNullPrefix, writeLengthPrefix } from './length-prefix';

/** Kafka caps every string at 32767 UTF-8 bytes, compact or not. */
const MAX_STRING_BYTES = 0x7fff;

/**
 * Kafka strings (UTF-8): `string` and `nullable string` have an int16 length (-1 for null);
 * `compact string` and `compact nullable string` have an unsigned varint length + 1 (0 for null).
 */
export class StringLayout<T extends string | null = string> extends KafkaLayout<T> {
  constructor(
    readonly compact: boolean,
    readonly nullable: boolean,
    property?: string,
  ) {
    super(-1, property);
  }

  read(c: Cursor): T {
    const start = c.offset;
    const len = readLengthPrefix(c, this.compact, 2, this.nullable, 'string');
    if (len < 0) return null as T;
    if (len > MAX_STRING_BYTES) {
      throw new DecodeError(`string at offset ${start} claims ${len} bytes, more than 32767`, start);
    }
    if (len > c.end - c.offset) throw underflow(c, len, 'string');
    const s = c.buf.toString('utf8', c.offset, c.offset + len);
    c.offset += len;
    return s as T;
  }

  sizeOf(v: T): number {
    if (v === null) return sizeOfNullPrefix(this.compact, 2, this.nullable, 'a string');
    if (typeof v !== 'string') throw new EncodeError(`expected a string, got ${describe(v)}`);
    const n = Buffer.byteLength(v, 'utf8');
    if (n > MAX_STRING_BYTES) throw new EncodeError(`string of ${n} UTF-8 bytes is longer than 32767`);
    return sizeOfLengthPrefix(n, this.compact, 2) + n;
  }

  write(v: T, b: Buffer, o: number): number {
    if (v === null) return writeLengthPrefix(-1, b, o, this.compact, 2);
    if (this.compact) {
      o = writeLengthPrefix(Buffer.byteLength(v, 'utf8'), b, o, true, 2);
      return o + b.write(v, o, 'utf8');
    }
    const n = b.write(v, o + 2, 'utf8');
    b.writeInt16BE(n, o);
    return o + 2 + n;
  }
}

export const string = new StringLayout<string>(false, false);
export const nullableString = new StringLayout<string | null>(false, true);
export const compactString = new StringLayout<string>(true, false);
export const compactNullableString = new StringLayout<string | null>(true, true);
