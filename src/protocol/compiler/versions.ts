import { SpecError } from '../errors';
import type { MessageSpec } from '../spec';

/** A version range; an open range (`"3+"`) ends at 32767, the largest int16 version. */
export interface VersionRange {
  readonly min: number;
  readonly max: number;
}

/** The highest version an open range (`"3+"`) includes: Kafka's versions are int16. */
export const MAX_VERSION = 0x7fff;

const parsed = new Map<string, VersionRange | null>();

/**
 * Parses Kafka's version notation: `"3+"` (3 and up), `"0-4"`, `"5"`; `"none"` gives `null`.
 * Throws `SpecError` for anything else.
 */
export function parseVersionRange(s: string): VersionRange | null {
  const known = parsed.get(s);
  if (known !== undefined) return known;
  const t = s.trim();
  let range: VersionRange | null;
  let m: RegExpExecArray | null;
  if (t === 'none') range = null;
  else if ((m = /^(\d+)\+$/.exec(t)) !== null) range = { min: Number(m[1]), max: MAX_VERSION };
  else if ((m = /^(\d+)-(\d+)$/.exec(t)) !== null) range = { min: Number(m[1]), max: Number(m[2]) };
  else if ((m = /^(\d+)$/.exec(t)) !== null) range = { min: Number(m[1]), max: Number(m[1]) };
  else throw new SpecError(`not a version range: ${JSON.stringify(s)}`);
  if (range !== null && (range.min > range.max || range.max > MAX_VERSION)) {
    throw new SpecError(`not a version range: ${JSON.stringify(s)}`);
  }
  parsed.set(s, range);
  return range;
}

/** Whether `version` is in `range` (Kafka notation); an absent range includes nothing. */
export function inVersions(range: string | undefined, version: number): boolean {
  if (range === undefined) return false;
  const r = parseVersionRange(range);
  return r !== null && version >= r.min && version <= r.max;
}

/** Whether `version` of `spec` uses the flexible encoding (compact types, tagged fields). */
export function isFlexible(spec: MessageSpec, version: number): boolean {
  return inVersions(spec.flexibleVersions, version);
}
