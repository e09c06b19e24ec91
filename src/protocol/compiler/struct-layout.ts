import { DecodeError, EncodeError } from '../errors';
import {
  byTag,
  describe,
  KafkaLayout,
  readTaggedFieldCount,
  readUVarInt,
  sizeOfRawTaggedField,
  sizeOfUVarInt,
  underflow,
  writeRawTaggedField,
  writeUVarInt,
  type Cursor,
  type RawTaggedField,
} from '../primitives';
import type { Message } from '../spec';

/** One field of a struct in one version, as compiled. */
export interface StructField {
  readonly name: string;
  readonly layout: KafkaLayout<any>;
  /** The spec's default in this version, or `undefined` when it has none. */
  readonly defaultValue: unknown;
  readonly nullable: boolean;
}

/** A field carried in the tagged-field section of a flexible struct. */
export interface TaggedStructField extends StructField {
  readonly tag: number;
  /** What an absent field stands for on decode; `undefined` leaves it out. */
  readonly absent: (() => unknown) | undefined;
  /** Whether a value equals its absence, so that encode leaves it out. */
  readonly isOmitted: (value: unknown) => boolean;
}

const UNKNOWN_TAGGED = '_unknownTaggedFields';

/**
 * A struct in one version: its fields in wire order and, in flexible versions, the tagged
 * fields (`tagged !== null`). Decodes into a plain object keyed by field name; tagged fields it
 * does not know are kept in `_unknownTaggedFields` and written back on encode. A field the body
 * omits takes the spec's default, else null when nullable, else the encode fails naming the field.
 */
export class StructLayout extends KafkaLayout<Message> {
  readonly tagged: readonly TaggedStructField[] | null;
  private readonly taggedByTag: ReadonlyMap<number, TaggedStructField>;

  constructor(
    readonly typeName: string,
    readonly fields: readonly StructField[],
    tagged: readonly TaggedStructField[] | null,
    property?: string,
  ) {
    super(-1, property);
    this.tagged = tagged === null ? null : byTag(tagged);
    this.taggedByTag = new Map((tagged ?? []).map((f) => [f.tag, f]));
  }

  read(c: Cursor): Message {
    const out: Message = {};
    const fields = this.fields;
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i];
      out[f.name] = f.layout.read(c);
    }
    if (this.tagged !== null) this.readTagged(c, out);
    return out;
  }

  private readTagged(c: Cursor, out: Message): void {
    const tagged = this.tagged!;
    for (let i = 0; i < tagged.length; i++) {
      const f = tagged[i];
      if (f.absent !== undefined) out[f.name] = f.absent();
    }
    const n = readTaggedFieldCount(c);
    let unknown: RawTaggedField[] | undefined;
    for (let i = 0; i < n; i++) {
      const tag = readUVarInt(c);
      const size = readUVarInt(c);
      if (size > c.end - c.offset) throw underflow(c, size, `tagged field ${tag}`);
      const end = c.offset + size;
      const f = this.taggedByTag.get(tag);
      if (f === undefined) {
        (unknown ??= []).push({ tag, data: c.buf.subarray(c.offset, end) });
        c.offset = end;
        continue;
      }
      const outerEnd = c.end;
      c.end = end;
      out[f.name] = f.layout.read(c);
      if (c.offset !== end) {
        throw new DecodeError(
          `tagged field ${tag} (${f.name}) leaves ${end - c.offset} of its bytes unread`,
          c.offset,
        );
      }
      c.end = outerEnd;
    }
    if (unknown !== undefined) out[UNKNOWN_TAGGED] = unknown;
  }

  sizeOf(body: Message): number {
    if (body === null || typeof body !== 'object') {
      throw new EncodeError(`expected an object (${this.typeName}), got ${describe(body)}`);
    }
    const fields = this.fields;
    let size = 0;
    let i = 0;
    try {
      for (; i < fields.length; i++) {
        const f = fields[i];
        let v = body[f.name];
        if (v === undefined) v = missing(f);
        size += f.layout.sizeOf(v);
      }
    } catch (e) {
      throw e instanceof EncodeError ? e.within(fields[i].name) : e;
    }
    if (this.tagged !== null) size += this.sizeOfTagged(body);
    return size;
  }

  private sizeOfTagged(body: Message): number {
    const tagged = this.tagged!;
    let count = 0;
    let size = 0;
    for (let i = 0; i < tagged.length; i++) {
      const f = tagged[i];
      const v = body[f.name];
      if (f.isOmitted(v)) continue;
      let n: number;
      try {
        n = f.layout.sizeOf(v);
      } catch (e) {
        throw e instanceof EncodeError ? e.within(f.name) : e;
      }
      count++;
      size += sizeOfUVarInt(f.tag) + sizeOfUVarInt(n) + n;
    }
    const unknown = body[UNKNOWN_TAGGED] as readonly RawTaggedField[] | undefined | null;
    if (unknown !== undefined && unknown !== null) {
      if (!Array.isArray(unknown))
        throw new EncodeError(`expected an array, got ${describe(unknown)}`, { path: UNKNOWN_TAGGED });
      for (const r of unknown) {
        if (r === null || typeof r !== 'object' || r.tag >>> 0 !== r.tag || !(r.data instanceof Uint8Array)) {
          throw new EncodeError(`expected a tagged field { tag, data }, got ${describe(r)}`, {
            path: UNKNOWN_TAGGED,
          });
        }
        const known = this.taggedByTag.get(r.tag);
        if (known !== undefined && !known.isOmitted(body[known.name])) {
          throw new EncodeError(`tag ${r.tag} is also the tag of field ${known.name}`, {
            path: UNKNOWN_TAGGED,
          });
        }
        count++;
        size += sizeOfRawTaggedField(r);
      }
    }
    return sizeOfUVarInt(count) + size;
  }

  write(body: Message, b: Buffer, o: number): number {
    const fields = this.fields;
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i];
      let v = body[f.name];
      if (v === undefined) v = f.defaultValue !== undefined ? f.defaultValue : null;
      o = f.layout.write(v, b, o);
    }
    return this.tagged === null ? o : this.writeTagged(body, b, o);
  }

  private writeTagged(body: Message, b: Buffer, o: number): number {
    const tagged = this.tagged!;
    const rawUnknown = body[UNKNOWN_TAGGED] as readonly RawTaggedField[] | undefined | null;
    const unknown = rawUnknown === undefined || rawUnknown === null ? [] : byTag(rawUnknown);
    let count = unknown.length;
    for (let i = 0; i < tagged.length; i++) if (!tagged[i].isOmitted(body[tagged[i].name])) count++;
    o = writeUVarInt(count, b, o);
    if (count === 0) return o;
    // Merge known and unknown fields in ascending tag order.
    let j = 0;
    for (let i = 0; i < tagged.length; i++) {
      const f = tagged[i];
      const v = body[f.name];
      if (f.isOmitted(v)) continue;
      while (j < unknown.length && unknown[j].tag < f.tag) o = writeRawTaggedField(unknown[j++], b, o);
      o = writeUVarInt(f.tag, b, o);
      o = writeUVarInt(f.layout.sizeOf(v), b, o);
      o = f.layout.write(v, b, o);
    }
    while (j < unknown.length) o = writeRawTaggedField(unknown[j++], b, o);
    return o;
  }
}

/** The value of a field the body leaves out: its default, else null when nullable. */
function missing(f: StructField): unknown {
  if (f.defaultValue !== undefined) return f.defaultValue;
  if (f.nullable) return null;
  throw new EncodeError('missing', { missing: true });
}

/**
 * A nullable struct field (not an array): an int8 marker, -1 for null and 1 before a present
 * struct, as Kafka's generated code writes it.
 */
export class NullableStructLayout extends KafkaLayout<Message | null> {
  constructor(
    readonly struct: StructLayout,
    property?: string,
  ) {
    super(-1, property);
  }

  read(c: Cursor): Message | null {
    if (c.offset >= c.end) throw underflow(c, 1, 'struct null marker');
    const marker = c.buf.readInt8(c.offset++);
    return marker < 0 ? null : this.struct.read(c);
  }

  sizeOf(v: Message | null): number {
    return v === null ? 1 : 1 + this.struct.sizeOf(v);
  }

  write(v: Message | null, b: Buffer, o: number): number {
    if (v === null) return b.writeInt8(-1, o);
    b[o] = 1;
    return this.struct.write(v, b, o + 1);
  }
}
