/** What a deserializer is told besides the bytes: where the record comes from, and which part it reads. */
export interface DeserializerContext {
  readonly topic: string;
  readonly partition?: number;
  /** The record's headers as fetched (raw bytes), e.g. to read a content type or schema id. */
  readonly headers: ReadonlyArray<readonly [string, Buffer | null]>;
  readonly part: RecordPart;
  /** The header's name, when `part` is `header`. */
  readonly header?: string;
}

/** The part of a record a (de)serializer works on. */
export type RecordPart = 'key' | 'value' | 'header';

/**
 * Turns the bytes of a key, a value or a header value into `T`; throws when they are not a `T`.
 * Never called for an absent key or value (null stays null).
 */
export type Deserializer<T> = (data: Buffer, context: DeserializerContext) => T;

/** The deserializers of a consumer: each part left out stays a `Buffer`. */
export interface Deserializers<K = Buffer, V = Buffer, H = Buffer> {
  readonly key?: Deserializer<K>;
  readonly value?: Deserializer<V>;
  /** For every header value (not its name). */
  readonly headers?: Deserializer<H>;
}
