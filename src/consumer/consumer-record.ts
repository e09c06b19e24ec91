import type { DeserializationError } from '../serde/deserialization-error';
import type { ConsumerRecord, UndeserializedRecord } from './types';

/** JSON for a part of a record: bytes as UTF-8 text, a deserialized part as it is. */
const text = (part: unknown): unknown => (Buffer.isBuffer(part) ? part.toString('utf8') : part);

/**
 * A ConsumerRecord as the consumer makes them: a class, so that `toJSON` lives once on the
 * prototype rather than as a closure per record (records are made on the hot path).
 */
export class FetchedConsumerRecord<K = Buffer, V = Buffer, H = Buffer> implements ConsumerRecord<K, V, H> {
  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly offset: bigint,
    readonly timestamp: number,
    readonly key: K | null,
    readonly value: V | null,
    readonly headers: Array<[string, H | null]>,
    readonly ack: () => void,
  ) {}

  /**
   * What `JSON.stringify(record)` writes (a bigint would make it throw): the offset as a decimal
   * string, key, value and header values as UTF-8 strings (null when absent), as
   * `kafka-rx consume --json` prints them; deserialized parts as they are. Binary keys or values
   * need a format of your own (e.g. `record.value.toString('base64')`).
   */
  toJSON(): {
    topic: string;
    partition: number;
    offset: string;
    timestamp: number;
    key: K extends Buffer ? string | null : K | null;
    value: V extends Buffer ? string | null : V | null;
    headers: Array<[string, (H extends Buffer ? string : H) | null]>;
  } {
    return {
      topic: this.topic,
      partition: this.partition,
      offset: this.offset.toString(),
      timestamp: this.timestamp,
      key: text(this.key) as never,
      value: text(this.value) as never,
      headers: this.headers.map(([name, value]) => [name, text(value) as never]),
    };
  }
}

/** A record one of the consumer's deserializers refused: its parts as fetched, and why. */
export class UndeserializedConsumerRecord extends FetchedConsumerRecord implements UndeserializedRecord {
  constructor(
    topic: string,
    partition: number,
    offset: bigint,
    timestamp: number,
    key: Buffer | null,
    value: Buffer | null,
    headers: Array<[string, Buffer | null]>,
    ack: () => void,
    readonly error: DeserializationError,
  ) {
    super(topic, partition, offset, timestamp, key, value, headers, ack);
  }
}

/** The key, value and headers of a record as fetched. */
export interface FetchedParts {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Array<[string, Buffer | null]>;
}

const fetched = Symbol('fetched');

/**
 * Makes a deserialized record keep the bytes as fetched too (under a symbol, out of sight of
 * `toEqual` and `Object.keys`), so that a dead-letter topic gets them unchanged.
 */
export function keepFetchedParts<R extends object>(record: R, parts: FetchedParts): R {
  (record as { [fetched]?: FetchedParts })[fetched] = parts;
  return record;
}

/** A record its deserializers read, with the bytes as fetched kept (see `keepFetchedParts`). */
export class DeserializedConsumerRecord<K, V, H> extends FetchedConsumerRecord<K, V, H> {
  constructor(
    topic: string,
    partition: number,
    offset: bigint,
    timestamp: number,
    key: K | null,
    value: V | null,
    headers: Array<[string, H | null]>,
    ack: () => void,
    parts: FetchedParts,
  ) {
    super(topic, partition, offset, timestamp, key, value, headers, ack);
    keepFetchedParts(this, parts);
  }
}

/** A part as bytes: as fetched, or (a record built by hand) a string as UTF-8 and anything else as JSON. */
const asBytes = (part: unknown): Buffer | null =>
  part === null || part === undefined
    ? null
    : Buffer.isBuffer(part)
      ? part
      : Buffer.from(typeof part === 'string' ? part : JSON.stringify(part), 'utf8');

/** The key, value and headers of a record as they were fetched, whatever its deserializers made of them. */
export function fetchedParts(record: {
  readonly key: unknown;
  readonly value: unknown;
  readonly headers: ReadonlyArray<readonly [string, unknown]>;
}): FetchedParts {
  const kept = (record as { [fetched]?: FetchedParts })[fetched];
  if (kept !== undefined) return kept;
  return {
    key: asBytes(record.key),
    value: asBytes(record.value),
    headers: record.headers.map(([name, value]) => [name, asBytes(value)]),
  };
}
