import { DecodeError, EncodeError } from '../errors';
import { describe, KafkaLayout, underflow, type Cursor } from './layout';
import { readUVarInt, sizeOfUVarInt, writeUVarInt } from './varint';

/** A tagged field kept as raw bytes: one this client does not know, written back unchanged. */
export interface RawTaggedField {
  readonly tag: number;
  readonly data: Buffer;
}

/** Reads the tag and size of one tagged field and checks that its bytes are there. */
export function readTaggedFieldHeader(c: Cursor): { tag: number; size: number } {
  const tag = readUVarInt(c);
  const size = readUVarInt(c);
  if (size > c.end - c.offset) throw underflow(c, size, `tagged field ${tag}`);
  return { tag, size };
}

/** Reads the count of a tagged-field section, rejecting a count that cannot fit. */
export function readTaggedFieldCount(c: Cursor): number {
  const start = c.offset;
  const n = readUVarInt(c);
  // Each tagged field takes at least two bytes (its tag and its size).
  if (n * 2 > c.end - c.offset) {
    throw new DecodeError(
      `tagged fields at offset ${start} claim ${n} fields, only ${c.end - c.offset} bytes remain`,
      start,
    );
  }
  return n;
}

/** Sorts by tag (a copy, only when needed): Kafka writes tagged fields in ascending tag order. */
export function byTag<F extends { tag: number }>(fields: readonly F[]): readonly F[] {
  for (let i = 1; i < fields.length; i++) {
    if (fields[i - 1].tag > fields[i].tag) return [...fields].sort((a, b) => a.tag - b.tag);
  }
  return fields;
}

/**
 * Kafka `TAGGED_FIELDS` as raw fields: an unsigned varint count, then per field an unsigned
 * varint tag, an unsigned varint size and that many bytes. Decoding keeps every field (data as
 * views); encoding writes them in ascending tag order. Compiled messages decode the tags they
 * know into fields and keep only the others in this form.
 */
export class TaggedFieldsLayout extends KafkaLayout<readonly RawTaggedField[]> {
  constructor(property?: string) {
    super(-1, property);
  }

  read(c: Cursor): RawTaggedField[] {
    const n = readTaggedFieldCount(c);
    const out: RawTaggedField[] = [];
    for (let i = 0; i < n; i++) {
      const { tag, size } = readTaggedFieldHeader(c);
      out.push({ tag, data: c.buf.subarray(c.offset, c.offset + size) });
      c.offset += size;
    }
    return out;
  }

  sizeOf(v: readonly RawTaggedField[]): number {
    if (!Array.isArray(v)) throw new EncodeError(`expected an array of tagged fields, got ${describe(v)}`);
    let size = sizeOfUVarInt(v.length);
    const seen = new Set<number>();
    for (const f of v) {
      if (f === null || typeof f !== 'object' || f.tag >>> 0 !== f.tag || !(f.data instanceof Uint8Array)) {
        throw new EncodeError(`expected a tagged field { tag, data }, got ${describe(f)}`);
      }
      if (seen.has(f.tag)) throw new EncodeError(`tagged field ${f.tag} appears twice`);
      seen.add(f.tag);
      size += sizeOfRawTaggedField(f);
    }
    return size;
  }

  write(v: readonly RawTaggedField[], b: Buffer, o: number): number {
    o = writeUVarInt(v.length, b, o);
    for (const f of byTag(v)) o = writeRawTaggedField(f, b, o);
    return o;
  }
}

/** The size of one raw tagged field: tag, size and data. */
export function sizeOfRawTaggedField(f: RawTaggedField): number {
  return sizeOfUVarInt(f.tag) + sizeOfUVarInt(f.data.length) + f.data.length;
}

/** Writes one raw tagged field; returns the offset after it. */
export function writeRawTaggedField(f: RawTaggedField, b: Buffer, o: number): number {
  o = writeUVarInt(f.tag, b, o);
  o = writeUVarInt(f.data.length, b, o);
  b.set(f.data, o);
  return o + f.data.length;
}

export const taggedFields = new TaggedFieldsLayout();
