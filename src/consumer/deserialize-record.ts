import type { Deserializers } from '../serde/deserializer';
import { DeserializationError } from '../serde/deserialization-error';
import { DeserializedConsumerRecord, UndeserializedConsumerRecord } from './consumer-record';
import type { AnyConsumerRecord } from './types';

/** Deserializers of any types, as the consumer holds them once configured. */
export type AnyDeserializers = Deserializers<unknown, unknown, unknown>;

/** A record's parts as its deserializers made them. */
export interface DeserializedParts {
  readonly key: unknown;
  readonly value: unknown;
  readonly headers: Array<[string, unknown]>;
}

/**
 * The key, value and header values through the deserializers, or the error of the first part
 * one refused (naming it, with its bytes). Never throws: a bad record must not end the stream.
 */
export function deserializeParts(
  deserializers: AnyDeserializers,
  topic: string,
  partition: number,
  key: Buffer | null,
  value: Buffer | null,
  headers: Array<[string, Buffer | null]>,
): DeserializedParts | DeserializationError {
  let part: 'key' | 'value' | 'header' = 'key';
  let data: Buffer | null = key;
  let header: string | undefined;
  try {
    const k =
      key !== null && deserializers.key ? deserializers.key(key, { topic, partition, headers, part }) : key;
    part = 'value';
    data = value;
    const v =
      value !== null && deserializers.value
        ? deserializers.value(value, { topic, partition, headers, part })
        : value;
    let h: Array<[string, unknown]> = headers;
    if (deserializers.headers && headers.length > 0) {
      part = 'header';
      h = new Array<[string, unknown]>(headers.length);
      for (let i = 0; i < headers.length; i++) {
        const [name, bytes] = headers[i];
        header = name;
        data = bytes;
        h[i] = [
          name,
          bytes === null ? null : deserializers.headers(bytes, { topic, partition, headers, part, header }),
        ];
      }
    }
    return { key: k, value: v, headers: h };
  } catch (cause) {
    return new DeserializationError(part, data as Buffer, cause, header);
  }
}

/**
 * Makes a record through the consumer's deserializers, eagerly (the record is being delivered):
 * a deserialized record that keeps the fetched bytes too, or, when one part fails, the record as
 * fetched with `error` saying which part and keeping its bytes.
 */
export function deserializeRecord(
  deserializers: AnyDeserializers,
  topic: string,
  partition: number,
  offset: bigint,
  timestamp: number,
  key: Buffer | null,
  value: Buffer | null,
  headers: Array<[string, Buffer | null]>,
  ack: () => void,
): AnyConsumerRecord {
  const parts = deserializeParts(deserializers, topic, partition, key, value, headers);
  if (parts instanceof DeserializationError)
    return new UndeserializedConsumerRecord(
      topic,
      partition,
      offset,
      timestamp,
      key,
      value,
      headers,
      ack,
      parts,
    );
  return new DeserializedConsumerRecord(
    topic,
    partition,
    offset,
    timestamp,
    parts.key,
    parts.value,
    parts.headers,
    ack,
    {
      key,
      value,
      headers,
    },
  );
}
