/**
 * The shape of a protocol definition, as data. It mirrors Kafka's own `message/*.json`
 * definitions (one file per request and response), with field names in camelCase
 * (`GroupId` there is `groupId` here). A compiler turns (spec, version) into an encoder and a
 * decoder; a drift test compares every spec with Kafka's JSON.
 *
 * Version ranges use Kafka's notation: `"3+"`, `"0-4"`, `"5"`, `"none"`.
 */

/** Primitive field types, by Kafka's names. `records` is a (nullable) byte blob of record batches. */
export type PrimitiveType =
  | 'bool'
  | 'int8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'float64'
  | 'string'
  | 'bytes'
  | 'records'
  | 'uuid';

export interface FieldSpec {
  /** camelCase of Kafka's field name. */
  readonly name: string;
  /**
   * A primitive type, `[]<primitive>` for an array of primitives, a struct type name
   * (e.g. `JoinGroupRequestProtocol`) with `fields`, or `[]<StructName>` with `fields` for an array of structs.
   */
  readonly type: string;
  readonly versions: string;
  readonly nullableVersions?: string;
  readonly taggedVersions?: string;
  readonly tag?: number;
  /** Kafka's default, as written in its JSON (`"-1"`, `"true"`, `"null"`, `0`). Used when a body omits the field. */
  readonly default?: string | number | boolean;
  /** The fields of a struct, or of each element of an array of structs. */
  readonly fields?: readonly FieldSpec[];
}

export interface MessageSpec {
  /** Kafka's message name, e.g. `HeartbeatRequest`. */
  readonly name: string;
  readonly type: 'request' | 'response' | 'data' | 'header';
  readonly apiKey?: number;
  /** The versions of this message that kafka-rx speaks (a sub-range of Kafka's `validVersions`). */
  readonly validVersions: string;
  readonly flexibleVersions: string;
  readonly fields: readonly FieldSpec[];
}

/** One API: its key and the request and response message specs. */
export interface ApiSpec {
  readonly name: string;
  readonly apiKey: number;
  /** Lowest and highest version kafka-rx speaks. */
  readonly minVersion: number;
  readonly maxVersion: number;
  readonly request: MessageSpec;
  readonly response: MessageSpec;
}

/**
 * A decoded message: a plain object keyed by camelCase field names. int64 values are `bigint`,
 * `bytes` and `records` are `Buffer` (views into the received frame, not copies), `uuid` is a
 * lowercase 8-4-4-4-12 hex string, nullable values may be `null`. Tagged fields this client does not
 * know are kept in `_unknownTaggedFields` and written back on encode.
 */
export type Message = Record<string, any>;
