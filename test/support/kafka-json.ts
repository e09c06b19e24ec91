import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Reading Kafka's own protocol definitions (`message/*.json`, JSON with `//` comments) for tests.
 * They live in `shared/kafka-protocol/message` beside the repository root.
 */
export const kafkaMessageDir = join(__dirname, '../../../shared/kafka-protocol/message');

/** A field as Kafka's JSON writes it (only the keys that matter to the wire format). */
export interface KafkaField {
  readonly name: string;
  readonly type: string;
  readonly versions: string;
  readonly nullableVersions?: string;
  readonly taggedVersions?: string;
  readonly tag?: number;
  readonly default?: string | number | boolean;
  readonly flexibleVersions?: string;
  readonly fields?: readonly KafkaField[];
}

/** A struct declared once in `commonStructs` and referred to by its type name. */
export interface KafkaStruct {
  readonly name: string;
  readonly versions: string;
  readonly fields: readonly KafkaField[];
}

/** One message definition file. */
export interface KafkaMessage {
  readonly name: string;
  readonly type: 'request' | 'response' | 'data' | 'header';
  readonly apiKey?: number;
  readonly validVersions: string;
  readonly flexibleVersions: string;
  readonly fields: readonly KafkaField[];
  readonly commonStructs?: readonly KafkaStruct[];
}

/** Removes `//` comments, leaving string literals (which may hold `//`, as in URLs) untouched. */
export function stripJsonComments(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else {
      out += c;
    }
  }
  return out;
}

/** Loads `<name>.json` (e.g. `JoinGroupRequest`) from Kafka's definitions. */
export function loadKafkaMessage(name: string, dir: string = kafkaMessageDir): KafkaMessage {
  const file = join(dir, `${name}.json`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(
      `Kafka's definition ${file} cannot be read (is shared/kafka-protocol beside the repository?): ${String(err)}`,
    );
  }
  return JSON.parse(stripJsonComments(text)) as KafkaMessage;
}

/** A version range as inclusive bounds; `null` for `"none"`. */
export type VersionRange = readonly [number, number] | null;

/** Parses Kafka's version notation: `"3+"`, `"0-4"`, `"5"`, `"none"`. */
export function parseVersions(versions: string): VersionRange {
  const text = versions.trim();
  if (text === 'none') return null;
  const plus = /^(\d+)\+$/.exec(text);
  if (plus) return [Number(plus[1]), Infinity];
  const range = /^(\d+)-(\d+)$/.exec(text);
  if (range) return [Number(range[1]), Number(range[2])];
  if (/^\d+$/.test(text)) return [Number(text), Number(text)];
  throw new Error(`Not a version range: "${versions}"`);
}

/** Whether two version ranges share at least one version. */
export function versionsIntersect(a: string, b: string): boolean {
  const x = parseVersions(a);
  const y = parseVersions(b);
  return x !== null && y !== null && x[0] <= y[1] && y[0] <= x[1];
}

/** Whether every version of `inner` is in `outer`. */
export function versionsWithin(inner: string, outer: string): boolean {
  const x = parseVersions(inner);
  const y = parseVersions(outer);
  if (x === null) return true;
  return y !== null && y[0] <= x[0] && x[1] <= y[1];
}

/** kafka-rx's name for a Kafka field name: `GroupId` is `groupId`. */
export function camelCase(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}
