import type { ConsumerRecord } from '../consumer';

const text = (b: Buffer | null): string | null => (b === null ? null : b.toString('utf8'));

/**
 * One output line for a record: its value as UTF-8 (an empty line when it has none), or with
 * `json` the object `{"topic","partition","offset","timestamp","key","value","headers"}` with key,
 * value and header values as UTF-8 strings (null when absent) and the offset as a decimal string
 * (it is an int64, beyond what a JSON number holds exactly). Headers are `[name, value]` pairs,
 * since Kafka allows a name to repeat.
 */
export function formatRecord(record: ConsumerRecord, json: boolean): string {
  if (!json) return text(record.value) ?? '';
  return JSON.stringify({
    topic: record.topic,
    partition: record.partition,
    offset: record.offset.toString(),
    timestamp: record.timestamp,
    key: text(record.key),
    value: text(record.value),
    headers: record.headers.map(([name, value]) => [name, text(value)]),
  });
}
