import { DecodeError, EncodeError } from '../errors';
import { describe, KafkaLayout, type Cursor } from './layout';
import { readLengthPrefix, sizeOfLengthPrefix, sizeOfNullPrefix, writeLengthPrefix } from './length-prefix';

/**
 * Kafka arrays: `ARRAY` has an int32 count (-1 for a null array), `COMPACT_ARRAY` an unsigned
 * varint count + 1 (0 for null). A count larger than the bytes left is rejected before anything
 * is allocated (as Kafka's own readers do), so a hostile count cannot exhaust memory.
 */
export class ArrayLayout<E, T extends E[] | null = E[]> extends KafkaLayout<T> {
  constructor(
    readonly element: KafkaLayout<E>,
    readonly compact: boolean,
    readonly nullable: boolean,
    property?: string,
  ) {
    super(-1, property);
  }

  read(c: Cursor): T {
    const start = c.offset;
    const n = readLengthPrefix(c, this.compact, 4, this.nullable, 'array');
    if (n < 0) return null as T;
    if (n > c.end - c.offset) {
      throw new DecodeError(
        `array at offset ${start} claims ${n} elements, only ${c.end - c.offset} bytes remain`,
        start,
      );
    }
    const out: E[] = [];
    const element = this.element;
    for (let i = 0; i < n; i++) out.push(element.read(c));
    return out as T;
  }

  sizeOf(v: T): number {
    if (v === null) return sizeOfNullPrefix(this.compact, 4, this.nullable, 'an array');
    if (!Array.isArray(v)) throw new EncodeError(`expected an array, got ${describe(v)}`);
    let size = sizeOfLengthPrefix(v.length, this.compact, 4);
    const element = this.element;
    let i = 0;
    try {
      for (; i < v.length; i++) size += element.sizeOf(v[i]);
    } catch (e) {
      throw e instanceof EncodeError ? e.within(`[${i}]`) : e;
    }
    return size;
  }

  write(v: T, b: Buffer, o: number): number {
    if (v === null) return writeLengthPrefix(-1, b, o, this.compact, 4);
    o = writeLengthPrefix(v.length, b, o, this.compact, 4);
    const element = this.element;
    for (let i = 0; i < v.length; i++) o = element.write(v[i], b, o);
    return o;
  }
}
