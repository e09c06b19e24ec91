import fc from 'fast-check';
import { inVersions } from '../../src/protocol/compiler';
import type { FieldSpec, Message, MessageSpec, PrimitiveType } from '../../src/protocol/spec';

/*
 * fast-check arbitraries for the compiler's property and fuzz tests: random message specs in
 * Kafka's shape, and random bodies that fit a (spec, version).
 */

const PRIMITIVES: PrimitiveType[] = [
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
];

/** A random value of a primitive type. */
export function primitiveValue(type: string): fc.Arbitrary<unknown> {
  switch (type) {
    case 'bool':
      return fc.boolean();
    case 'int8':
      return fc.integer({ min: -128, max: 127 });
    case 'int16':
      return fc.integer({ min: -32768, max: 32767 });
    case 'uint16':
      return fc.integer({ min: 0, max: 65535 });
    case 'int32':
      return fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
    case 'uint32':
      return fc.integer({ min: 0, max: 2 ** 32 - 1 });
    case 'int64':
      return fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
    case 'float64':
      // -0 equals the tagged default 0 and comes back as 0, as in Kafka.
      return fc.double().filter((d) => !Object.is(d, -0));
    case 'string':
      return fc.string({ unit: 'grapheme', maxLength: 12 });
    case 'bytes':
    case 'records':
      return fc.uint8Array({ maxLength: 12 }).map((a) => Buffer.from(a));
    case 'uuid':
      return fc.uuid().map((u) => u.toLowerCase());
    default:
      throw new Error(`not a primitive: ${type}`);
  }
}

/** A random body for the fields of `fields` that exist in `version`. */
export function bodyFor(fields: readonly FieldSpec[], version: number): fc.Arbitrary<Message> {
  const record: Record<string, fc.Arbitrary<unknown>> = {};
  for (const f of fields) {
    if (!inVersions(f.versions, version)) continue;
    let arb: fc.Arbitrary<unknown>;
    if (f.type.startsWith('[]')) {
      const element = f.type.slice(2);
      arb = fc.array(f.fields ? bodyFor(f.fields, version) : primitiveValue(element), { maxLength: 3 });
    } else {
      arb = f.fields ? bodyFor(f.fields, version) : primitiveValue(f.type);
    }
    if (inVersions(f.nullableVersions, version) || f.type === 'records') arb = fc.option(arb, { nil: null });
    record[f.name] = arb;
  }
  return fc.record(record);
}

const VERSION_RANGES = ['0+', '1+', '0-1', '2+', '3', '1-2'];
const NULLABLE_TYPES = new Set(['string', 'bytes', 'records']);

let structCount = 0;

/** Random fields: primitives, arrays of primitives, structs and arrays of structs, nested `depth` deep. */
export function fieldsArb(depth: number): fc.Arbitrary<FieldSpec[]> {
  const kinds =
    depth > 0 ? (['primitive', 'array', 'struct', 'structs'] as const) : (['primitive', 'array'] as const);
  const raw = fc.record({
    kind: fc.constantFrom(...kinds),
    primitive: fc.constantFrom(...PRIMITIVES),
    versions: fc.constantFrom(...VERSION_RANGES),
    nullable: fc.constantFrom(undefined, '0+', '2+'),
    tagged: fc.boolean(),
    withDefault: fc.boolean(),
    sub: depth > 0 ? fieldsArb(depth - 1) : fc.constant([] as FieldSpec[]),
  });
  return fc.array(raw, { maxLength: 5 }).map((list) =>
    list.map((r, i): FieldSpec => {
      const name = `f${i}`;
      const tagging = r.tagged ? { taggedVersions: '2+', tag: i } : {};
      if (r.kind === 'primitive') {
        const nullable =
          NULLABLE_TYPES.has(r.primitive) && r.nullable ? { nullableVersions: r.nullable } : {};
        const def = r.withDefault && r.primitive === 'int32' ? { default: '-1' } : {};
        return { name, type: r.primitive, versions: r.versions, ...nullable, ...def, ...tagging };
      }
      const nullable = r.nullable ? { nullableVersions: r.nullable } : {};
      if (r.kind === 'array') {
        const element = r.primitive === 'records' ? 'int32' : r.primitive;
        return { name, type: `[]${element}`, versions: r.versions, ...nullable, ...tagging };
      }
      const struct = `Struct${++structCount}`;
      const type = r.kind === 'struct' ? struct : `[]${struct}`;
      // Every struct has a field in every version: an element that encodes to no bytes cannot be
      // read back, since array counts beyond the bytes left are refused (as Kafka refuses them).
      const fields: FieldSpec[] = [{ name: 'id', type: 'int16', versions: '0+' }, ...r.sub];
      return { name, type, versions: r.versions, fields, ...nullable, ...tagging };
    }),
  );
}

/** A random message spec (versions 0-3, flexible from 2) with a version and a body that fits it. */
export const specVersionBody: fc.Arbitrary<{ spec: MessageSpec; version: number; body: Message }> = fieldsArb(
  2,
)
  .map((fields): MessageSpec => ({
    name: 'RandomMessage',
    type: 'data',
    validVersions: '0-3',
    flexibleVersions: '2+',
    fields,
  }))
  .chain((spec) =>
    fc
      .integer({ min: 0, max: 3 })
      .chain((version) => bodyFor(spec.fields, version).map((body) => ({ spec, version, body }))),
  );
