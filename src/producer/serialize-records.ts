import type { RecordPart } from '../serde/deserializer';
import type { Serializer, Serializers } from '../serde/serializer';
import { SerializationError } from '../serde/serialization-error';
import type { ProducerRecord, ProducerRecordHeaders } from './producer-record';

/** Serializers of any types, as the producer holds them once configured (any: a serializer's argument is contravariant). */
export type AnySerializers = Serializers<any, any, any>;

type Bytes = Buffer | string;

function run(
  serializer: Serializer<unknown>,
  data: unknown,
  record: ProducerRecord<unknown, unknown, unknown>,
  part: RecordPart,
  header?: string,
): Bytes {
  try {
    return serializer(data, { topic: record.topic, partition: record.partition, part, header });
  } catch (cause) {
    throw new SerializationError(part, record.topic, cause, header);
  }
}

function serializeHeaders(
  serializer: Serializer<unknown>,
  record: ProducerRecord<unknown, unknown, unknown>,
): ProducerRecordHeaders {
  const headers = record.headers!;
  const pair = (name: string, value: unknown): [string, Bytes | null] => [
    name,
    value === null || value === undefined ? null : run(serializer, value, record, 'header', name),
  ];
  return Array.isArray(headers)
    ? (headers as readonly (readonly [string, unknown])[]).map(([name, value]) => pair(name, value))
    : Object.entries(headers).map(([name, value]) => pair(name, value));
}

/**
 * A record with its key, value and header values turned into bytes by the producer's
 * serializers (null and absent parts stay as they are). Throws a `SerializationError`.
 */
export function serializeRecord(
  serializers: AnySerializers,
  record: ProducerRecord<unknown, unknown, unknown>,
): ProducerRecord {
  const { key, value, headers } = record;
  return {
    ...record,
    key:
      key === null || key === undefined || !serializers.key
        ? (key as Bytes | null | undefined)
        : run(serializers.key, key, record, 'key'),
    value:
      value === null || !serializers.value
        ? (value as Bytes | null)
        : run(serializers.value, value, record, 'value'),
    headers:
      headers === undefined || !serializers.headers
        ? (headers as ProducerRecordHeaders | undefined)
        : serializeHeaders(serializers.headers, record),
  };
}
