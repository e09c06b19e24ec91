/**
 * The TypeScript types of protocol messages, derived from the specs at the type level (they are
 * `as const`), so that a misspelt or mistyped field is a compile error and no cast is needed to
 * read a response. A message is typed over the whole version range kafka-rx speaks:
 *
 * - decoded (a response as the client reads it, a request as a broker reads it): a field present
 *   in every version of the range is required, one present only in some is optional;
 * - encoded (a request as the client writes it, a response as a broker writes it): a field may be
 *   left out when it has a default, is nullable or tagged (the encoder fills those in), or is not
 *   in every version (a body for one version may omit the others' fields).
 *
 * The fields of a struct are typed over the versions its own field exists in (a `4+` array of a
 * `0-6` message holds elements typed over v4-v6). A field nullable in any version of the range
 * admits `null`. int64 decodes as `bigint` and
 * encodes from a `bigint` or a safe integer. A spec not known at compile time (a plain `ApiSpec`)
 * gives `Message`.
 */
import type { ApiSpec, FieldSpec, Message, MessageSpec } from './spec';

type Tuple<N extends number, T extends unknown[] = []> = T['length'] extends N ? T : Tuple<N, [...T, 0]>;

/** `A <= B` for small non-negative integers (protocol versions). */
type AtMost<A extends number, B extends number> = Tuple<B> extends [...Tuple<A>, ...unknown[]] ? true : false;

/** A version range [min, max], from Kafka's notation for a message's versions (`"0-4"`, `"3"`). */
type Range = { min: number; max: number };
type RangeOf<V extends string> = V extends `${infer A extends number}-${infer B extends number}`
  ? { min: A; max: B }
  : V extends `${infer A extends number}`
    ? { min: A; max: A }
    : never;

/** Whether a field's versions (`"3+"`, `"0-7"`, `"5"`, `"none"`) hold every version of `R`. */
type Covers<V, R extends Range> = V extends `${infer A extends number}+`
  ? AtMost<A, R['min']>
  : V extends `${infer A extends number}-${infer B extends number}`
    ? AtMost<A, R['min']> extends true
      ? AtMost<R['max'], B>
      : false
    : V extends `${infer A extends number}`
      ? [A, A] extends [R['min'], R['max']]
        ? true
        : false
      : false;

/** The versions of `R` that a field's versions hold: the range its struct's fields are typed over. */
type Within<V, R extends Range> = V extends `${infer A extends number}+`
  ? { min: AtMost<A, R['min']> extends true ? R['min'] : A; max: R['max'] }
  : V extends `${infer A extends number}-${infer B extends number}`
    ? {
        min: AtMost<A, R['min']> extends true ? R['min'] : A;
        max: AtMost<B, R['max']> extends true ? B : R['max'];
      }
    : V extends `${infer A extends number}`
      ? { min: A; max: A }
      : R;

/** Whether a field's versions hold any version of `R`. */
type Meets<V, R extends Range> = V extends `${infer A extends number}+`
  ? AtMost<A, R['max']>
  : V extends `${infer A extends number}-${infer B extends number}`
    ? AtMost<A, R['max']> extends true
      ? AtMost<R['min'], B>
      : false
    : V extends `${infer A extends number}`
      ? AtMost<R['min'], A> extends true
        ? AtMost<A, R['max']>
        : false
      : false;

type Mode = 'decoded' | 'encoded';

type Primitive<T extends string, M extends Mode> = T extends
  'int8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'float64'
  ? number
  : T extends 'int64'
    ? M extends 'decoded'
      ? bigint
      : bigint | number
    : T extends 'string' | 'uuid'
      ? string
      : T extends 'bool'
        ? boolean
        : T extends 'bytes' | 'records'
          ? Buffer
          : never;

type Element<T extends string, F extends FieldSpec, R extends Range, M extends Mode> = F extends {
  fields: infer Fs extends readonly FieldSpec[];
}
  ? Struct<Fs, Within<F['versions'], R>, M>
  : Primitive<T, M>;

type Nullable<F extends FieldSpec, R extends Range> = F extends { nullableVersions: infer N }
  ? Meets<N, R> extends true
    ? null
    : never
  : never;

/** The value of one field: a primitive, a struct, or a readonly array of either; `| null` when nullable. */
type Value<F extends FieldSpec, R extends Range, M extends Mode> =
  | (F['type'] extends `[]${infer E}` ? readonly Element<E, F, R, M>[] : Element<F['type'], F, R, M>)
  | Nullable<F, R>;

type IsRequired<F extends FieldSpec, R extends Range, M extends Mode> =
  Covers<F['versions'], R> extends false
    ? false
    : F extends { taggedVersions: string }
      ? false
      : M extends 'decoded'
        ? true
        : F extends { default: unknown } | { nullableVersions: string }
          ? false
          : true;

/** A struct (or a message's top level): its fields by name. */
export type Struct<Fs extends readonly FieldSpec[], R extends Range, M extends Mode> = {
  -readonly [
    F in Fs[number] as Meets<F['versions'], R> extends true
      ? IsRequired<F, R, M> extends true
        ? F['name']
        : never
      : never
  ]: Value<F, R, M>;
} & {
  -readonly [
    F in Fs[number] as Meets<F['versions'], R> extends true
      ? IsRequired<F, R, M> extends true
        ? never
        : F['name']
      : never
  ]?: Value<F, R, M>;
};

type MessageOf<S extends MessageSpec, M extends Mode> = string extends S['name']
  ? Message
  : Struct<S['fields'], RangeOf<S['validVersions']>, M>;

/** A message as decoded from the wire, e.g. `DecodedOf<typeof ConsumerProtocolAssignment>`. */
export type DecodedOf<S extends MessageSpec> = MessageOf<S, 'decoded'>;
/** A message as given to the encoder. */
export type EncodedOf<S extends MessageSpec> = MessageOf<S, 'encoded'>;

/** A request body as the client writes it, e.g. `RequestOf<typeof Heartbeat>`. */
export type RequestOf<A extends ApiSpec> = EncodedOf<A['request']>;
/** A response body as the client reads it, e.g. `ResponseOf<typeof Heartbeat>`. */
export type ResponseOf<A extends ApiSpec> = DecodedOf<A['response']>;
/** A request body as a broker reads it (the fake cluster's handlers). */
export type ReceivedRequestOf<A extends ApiSpec> = DecodedOf<A['request']>;
/** A response body as a broker writes it (the fake cluster's handlers). */
export type ResponseBodyOf<A extends ApiSpec> = EncodedOf<A['response']>;
