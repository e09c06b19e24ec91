import type { RecordPart } from './deserializer';

/** What a serializer is told besides the data: where the record goes, and which part it writes. */
export interface SerializerContext {
  readonly topic: string;
  readonly partition?: number;
  readonly part: RecordPart;
  /** The header's name, when `part` is `header`. */
  readonly header?: string;
}

/** Turns a `T` into the bytes of a key, a value or a header value (a string is written as UTF-8). Never called for null. */
export type Serializer<T> = (data: T, context: SerializerContext) => Buffer | string;

/** The serializers of a producer: each part left out is sent as given (`Buffer` or string). */
export interface Serializers<K = Buffer | string, V = Buffer | string, H = Buffer | string> {
  readonly key?: Serializer<K>;
  readonly value?: Serializer<V>;
  /** For every header value (not its name). */
  readonly headers?: Serializer<H>;
}
