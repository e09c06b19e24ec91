import { SpecError } from '../errors';
import { ZERO_UUID } from '../primitives';
import type { FieldSpec } from '../spec';

const INTEGER_TYPES = new Set(['int8', 'int16', 'uint16', 'int32', 'uint32']);

/**
 * The value of a field's `default` in one version, parsed from Kafka's JSON forms (`"-1"`,
 * `"0x7fffffff"`, `"true"`, `"null"`, a plain number or boolean); `undefined` when the field
 * has no default. `"null"` counts only where the field is nullable.
 */
export function parseDefault(field: FieldSpec, nullable: boolean, where: string): unknown {
  const d = field.default;
  if (d === undefined) return undefined;
  if (d === 'null') return nullable ? null : undefined;
  const type = field.type;
  const bad = () => new SpecError(`${where}: default ${JSON.stringify(d)} does not fit type ${type}`);
  if (INTEGER_TYPES.has(type) || type === 'float64') {
    const n = typeof d === 'number' ? d : Number(d);
    if (Number.isNaN(n) || (type !== 'float64' && !Number.isInteger(n))) throw bad();
    return n;
  }
  switch (type) {
    case 'int64':
      try {
        return BigInt(d as string | number);
      } catch {
        throw bad();
      }
    case 'bool':
      if (d === true || d === 'true') return true;
      if (d === false || d === 'false') return false;
      throw bad();
    case 'string':
      return String(d);
    case 'uuid':
      if (typeof d === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(d))
        return d;
      throw bad();
    default:
      // bytes, records, arrays and structs only take "null" as a default.
      throw bad();
  }
}

/**
 * What a tagged field that is absent from the wire stands for (Kafka's rule): its default,
 * else null when nullable, else the type's zero (0, false, "", empty bytes, an empty array,
 * the zero UUID). Structs have none: an absent tagged struct stays absent. Returns a factory so
 * that arrays and buffers are fresh per message.
 */
export function taggedAbsentValue(
  field: FieldSpec,
  nullable: boolean,
  defaultValue: unknown,
): (() => unknown) | undefined {
  if (defaultValue !== undefined) return () => defaultValue;
  if (nullable) return () => null;
  const type = field.type;
  if (type.startsWith('[]')) return () => [];
  if (INTEGER_TYPES.has(type) || type === 'float64') return () => 0;
  switch (type) {
    case 'int64':
      return () => 0n;
    case 'bool':
      return () => false;
    case 'string':
      return () => '';
    case 'bytes':
    case 'records':
      return () => Buffer.alloc(0);
    case 'uuid':
      return () => ZERO_UUID;
    default:
      return undefined;
  }
}

/**
 * A test for whether a tagged value equals what its absence stands for, so that it need not
 * be written (Kafka writes a tagged field only when it differs from its default).
 */
export function omissionTest(absent: (() => unknown) | undefined): (value: unknown) => boolean {
  if (absent === undefined) return (v) => v === undefined || v === null;
  const a = absent();
  if (Array.isArray(a)) return (v) => v === undefined || (Array.isArray(v) && v.length === 0);
  if (a instanceof Uint8Array) return (v) => v === undefined || (v instanceof Uint8Array && v.length === 0);
  if (typeof a === 'bigint') {
    return (v) =>
      v === undefined || v === a || (typeof v === 'number' && Number.isSafeInteger(v) && BigInt(v) === a);
  }
  return (v) => v === undefined || v === a;
}
