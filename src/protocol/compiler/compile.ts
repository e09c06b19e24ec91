import { KafkaRxError } from '../../errors';
import { DecodeError, EncodeError, SpecError } from '../errors';
import {
  ArrayLayout,
  boolean,
  bytes,
  compactBytes,
  compactNullableBytes,
  compactNullableString,
  compactRecords,
  compactString,
  float64,
  int16,
  int32,
  int64,
  int8,
  nullableBytes,
  nullableString,
  records,
  string,
  uint16,
  uint32,
  uuid,
  type Cursor,
  type KafkaLayout,
} from '../primitives';
import type { FieldSpec, Message, MessageSpec, PrimitiveType } from '../spec';
import { omissionTest, parseDefault, taggedAbsentValue } from './defaults';
import {
  NullableStructLayout,
  StructLayout,
  type StructField,
  type TaggedStructField,
} from './struct-layout';
import { inVersions, isFlexible } from './versions';

/** The encoder and decoder of one version of one message. */
export interface MessageCodec {
  readonly spec: MessageSpec;
  readonly version: number;
  readonly flexible: boolean;
  /** The message body as a buffer-layout `Layout`, for composing into frames. */
  readonly layout: StructLayout;
  /** Names the message in errors, e.g. `JoinGroupRequest v5`. */
  readonly context: string;
  /** Measures, allocates once and writes `body`; throws `EncodeError` naming the field at fault. */
  encode(body: Message): Buffer;
  /** Decodes a buffer that holds exactly one message; throws `DecodeError` on bad bytes. */
  decode(buf: Buffer): Message;
}

const PRIMITIVES: ReadonlySet<string> = new Set<PrimitiveType>([
  'bool',
  'int8',
  'int16',
  'uint16',
  'int32',
  'uint32',
  'int64',
  'float64',
  'string',
  'bytes',
  'records',
  'uuid',
]);

function primitiveLayout(type: string, flexible: boolean, nullable: boolean): KafkaLayout<any> {
  switch (type as PrimitiveType) {
    case 'bool':
      return boolean;
    case 'int8':
      return int8;
    case 'int16':
      return int16;
    case 'uint16':
      return uint16;
    case 'int32':
      return int32;
    case 'uint32':
      return uint32;
    case 'int64':
      return int64;
    case 'float64':
      return float64;
    case 'uuid':
      return uuid;
    case 'string':
      return flexible
        ? nullable
          ? compactNullableString
          : compactString
        : nullable
          ? nullableString
          : string;
    case 'bytes':
      return flexible ? (nullable ? compactNullableBytes : compactBytes) : nullable ? nullableBytes : bytes;
    case 'records':
      // Record batches are a nullable byte blob; the records layer parses them.
      return flexible ? compactRecords : records;
  }
}

function fieldLayout(f: FieldSpec, version: number, flexible: boolean, nullable: boolean, where: string) {
  const type = f.type;
  if (type.startsWith('[]')) {
    const elementType = type.slice(2);
    const element = PRIMITIVES.has(elementType)
      ? primitiveLayout(elementType, flexible, false)
      : compileStruct(elementType, structFields(f, where), version, flexible, where);
    return new ArrayLayout(element, flexible, nullable);
  }
  if (PRIMITIVES.has(type)) return primitiveLayout(type, flexible, nullable);
  const struct = compileStruct(type, structFields(f, where), version, flexible, where);
  return nullable ? new NullableStructLayout(struct) : struct;
}

function structFields(f: FieldSpec, where: string): readonly FieldSpec[] {
  if (f.fields === undefined)
    throw new SpecError(`${where}: type ${f.type} is neither a primitive nor given fields`);
  return f.fields;
}

function compileStruct(
  typeName: string,
  specFields: readonly FieldSpec[],
  version: number,
  flexible: boolean,
  where: string,
): StructLayout {
  const fields: StructField[] = [];
  const tagged: TaggedStructField[] = [];
  for (const f of specFields) {
    if (!inVersions(f.versions, version)) continue;
    const at = `${where}.${f.name}`;
    const nullable = inVersions(f.nullableVersions, version);
    const layout = fieldLayout(f, version, flexible, nullable, at);
    const defaultValue = parseDefault(f, nullable, at);
    if (!inVersions(f.taggedVersions, version)) {
      fields.push({ name: f.name, layout, defaultValue, nullable });
      continue;
    }
    if (!flexible) throw new SpecError(`${at}: tagged in a version that is not flexible`);
    if (f.tag === undefined || f.tag >>> 0 !== f.tag)
      throw new SpecError(`${at}: tagged field without a valid tag`);
    if (tagged.some((t) => t.tag === f.tag)) throw new SpecError(`${at}: tag ${f.tag} used twice`);
    const absent = taggedAbsentValue(f, nullable, defaultValue);
    tagged.push({
      name: f.name,
      layout,
      defaultValue,
      nullable,
      tag: f.tag,
      absent,
      isOmitted: omissionTest(absent),
    });
  }
  return new StructLayout(typeName, fields, flexible ? tagged : null);
}

/** Rewrites an encode failure to name the message, e.g. `JoinGroupRequest v5: missing field protocols[0].name`. */
export function encodeFailure(context: string, e: unknown): unknown {
  return e instanceof EncodeError ? e.inContext(context) : e;
}

/**
 * Rewrites a decode failure to name the message. Anything that is not a `KafkaRxError` (a
 * defect: the readers check bounds themselves) still surfaces as a `DecodeError`, with the
 * original as its `cause`.
 */
export function decodeFailure(context: string, e: unknown): KafkaRxError {
  if (e instanceof DecodeError) return new DecodeError(`${context}: ${e.message}`, e.offset);
  if (e instanceof KafkaRxError) return e;
  return new DecodeError(`${context}: ${e instanceof Error ? e.message : String(e)}`, undefined, {
    cause: e,
  });
}

/** Fails unless the cursor is at the end of its frame: brokers never send trailing bytes. */
export function expectEnd(c: Cursor): void {
  const left = c.end - c.offset;
  if (left !== 0) {
    throw new DecodeError(
      `${left} byte${left === 1 ? '' : 's'} left over after the message, at offset ${c.offset}`,
      c.offset,
    );
  }
}

class CompiledMessage implements MessageCodec {
  readonly flexible: boolean;
  readonly layout: StructLayout;
  readonly context: string;

  constructor(
    readonly spec: MessageSpec,
    readonly version: number,
  ) {
    this.context = `${spec.name} v${version}`;
    if (!inVersions(spec.validVersions, version)) {
      throw new SpecError(`${this.context}: not among its versions (${spec.validVersions})`);
    }
    this.flexible = isFlexible(spec, version);
    this.layout = compileStruct(spec.name, spec.fields, version, this.flexible, this.context);
  }

  encode(body: Message): Buffer {
    try {
      return this.layout.toBuffer(body);
    } catch (e) {
      throw encodeFailure(this.context, e);
    }
  }

  decode(buf: Buffer): Message {
    const c: Cursor = { buf, offset: 0, end: buf.length };
    try {
      const body = this.layout.read(c);
      expectEnd(c);
      return body;
    } catch (e) {
      throw decodeFailure(this.context, e);
    }
  }
}

const compiled = new WeakMap<MessageSpec, Map<number, MessageCodec>>();

/**
 * The codec for `version` of `spec`, compiled on first use and memoized per (spec, version).
 * Throws `SpecError` when the version is not in the spec's `validVersions` or the spec is malformed.
 */
export function compileMessage(spec: MessageSpec, version: number): MessageCodec {
  let byVersion = compiled.get(spec);
  if (byVersion === undefined) {
    byVersion = new Map();
    compiled.set(spec, byVersion);
  }
  let codec = byVersion.get(version);
  if (codec === undefined) {
    codec = new CompiledMessage(spec, version);
    byVersion.set(version, codec);
  }
  return codec;
}
