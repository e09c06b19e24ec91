import type { ConsumerRecord } from '../consumer';
import { UsageError } from './args';

const text = (b: Buffer | null): string => (b === null ? '' : b.toString('utf8'));
const size = (b: Buffer | null): string => (b === null ? '-1' : String(b.length));
const headersText = (record: ConsumerRecord): string =>
  record.headers
    .map(([name, value]) => `${name}=${value === null ? 'NULL' : value.toString('utf8')}`)
    .join(',');

const TOKENS: Readonly<Record<string, (r: ConsumerRecord) => string>> = {
  s: (r) => text(r.value),
  S: (r) => size(r.value),
  k: (r) => text(r.key),
  K: (r) => size(r.key),
  t: (r) => r.topic,
  p: (r) => String(r.partition),
  o: (r) => r.offset.toString(),
  T: (r) => String(r.timestamp),
  h: headersText,
  '%': () => '%',
};

const ESCAPES: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t', '\\': '\\' };

/**
 * kcat's `-f` format string as a function of a record: `%s` value, `%S` its size (-1 when null),
 * `%k` key, `%K` its size, `%t` topic, `%p` partition, `%o` offset, `%T` timestamp (ms), `%h`
 * headers as `name=value,...` (NULL for a null value), `%%`; escapes `\n`, `\r`, `\t`, `\\`.
 * As in kcat, nothing is added: a format prints a line only if it ends in `\n`.
 */
export function kcatFormat(format: string): (record: ConsumerRecord) => string {
  const parts: Array<string | ((r: ConsumerRecord) => string)> = [];
  let literal = '';
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    const next = format[i + 1];
    if ((c === '%' || c === '\\') && next === undefined)
      throw new UsageError(`--format ends in a lone "${c}"`);
    if (c === '\\') {
      literal += ESCAPES[next] ?? `\\${next}`;
      i++;
    } else if (c === '%') {
      const token = TOKENS[next];
      if (token === undefined) throw new UsageError(`--format: kafka-rx does not know %${next}`);
      if (next === '%') literal += '%';
      else {
        if (literal) parts.push(literal);
        literal = '';
        parts.push(token);
      }
      i++;
    } else literal += c;
  }
  if (literal) parts.push(literal);
  return (record) => parts.map((p) => (typeof p === 'string' ? p : p(record))).join('');
}

/**
 * A record as kcat -J prints it, with kcat's field names where the meaning is the same:
 * `{"topic","partition","offset","ts","headers","key","payload"}`; the offset a JSON number (as
 * kcat writes it), headers a flat `[name, value, ...]` list and left out when there are none,
 * key and payload UTF-8 strings or null. kcat's `tstype` and `broker` are not known to a record.
 */
export function kcatJson(record: ConsumerRecord): string {
  const fields = [
    `"topic":${JSON.stringify(record.topic)}`,
    `"partition":${record.partition}`,
    // Written out by hand: an int64 offset above 2^53 keeps its digits.
    `"offset":${record.offset.toString()}`,
    `"ts":${record.timestamp}`,
  ];
  if (record.headers.length > 0)
    fields.push(
      `"headers":${JSON.stringify(record.headers.flatMap(([name, value]) => [name, value === null ? null : value.toString('utf8')]))}`,
    );
  fields.push(
    `"key":${JSON.stringify(record.key === null ? null : text(record.key))}`,
    `"payload":${JSON.stringify(record.value === null ? null : text(record.value))}`,
  );
  return `{${fields.join(',')}}`;
}
