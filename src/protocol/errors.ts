import { KafkaRxError } from '../errors';
import { errorCodes, type ErrorCodeEntry } from './error-codes';

export { ErrorCode, errorCodes, type ErrorCodeEntry, type ErrorName } from './error-codes';

/**
 * An error code returned by a broker, as a value: `code`, Kafka's `name` (e.g.
 * `'REBALANCE_IN_PROGRESS'`) and message, whether a retry may help (`retriable`) and whether
 * cached metadata is stale (`invalidMetadata`).
 */
export class KafkaProtocolError extends KafkaRxError {
  declare readonly code: number;
  readonly invalidMetadata: boolean;

  constructor(entry: ErrorCodeEntry) {
    super(entry.name, entry.message ?? entry.name, { code: entry.code, retriable: entry.retriable });
    this.invalidMetadata = entry.invalidMetadata;
  }
}

const byCode = new Map<number, ErrorCodeEntry>(errorCodes.map((e) => [e.code, e]));

/**
 * The error for a Kafka error code: `undefined` for 0 (NONE); a code this table does not know
 * (from a newer broker) gives a non-retriable error named `UNKNOWN_ERROR_CODE_<n>`.
 */
export function protocolError(code: number): KafkaProtocolError | undefined {
  if (code === 0) return undefined;
  const entry = byCode.get(code) ?? {
    code,
    name: `UNKNOWN_ERROR_CODE_${code}`,
    message: `The broker returned error code ${code}, which this client does not know.`,
    retriable: false,
    invalidMetadata: false,
  };
  return new KafkaProtocolError(entry);
}

/** The table entry for a code, or `undefined` when the code is unknown. */
export function errorCodeEntry(code: number): ErrorCodeEntry | undefined {
  return byCode.get(code);
}

/**
 * Bytes that do not form a valid message: truncated, a length or count beyond the frame,
 * trailing bytes, a null where none is allowed. `offset` is where in the buffer it was found.
 */
export class DecodeError extends KafkaRxError {
  readonly offset: number | undefined;

  constructor(message: string, offset?: number, options: { cause?: unknown } = {}) {
    super('DecodeError', message, options);
    this.offset = offset;
  }
}

/**
 * A value that cannot be encoded: a missing field, a wrong type, a number out of range, a
 * string too long. `path` names the field, e.g. `protocols[0].name`.
 */
export class EncodeError extends KafkaRxError {
  readonly path: string;
  /** What is wrong, without the field path and message name. */
  readonly reason: string;
  readonly missing: boolean;

  constructor(reason: string, options: { path?: string; missing?: boolean; context?: string } = {}) {
    const path = options.path ?? '';
    const missing = options.missing ?? false;
    const where = options.context === undefined ? '' : `${options.context}: `;
    const message = missing
      ? `${where}missing field ${path}`
      : path === ''
        ? `${where}${reason}`
        : `${where}field ${path}: ${reason}`;
    super('EncodeError', message);
    this.path = path;
    this.reason = reason;
    this.missing = missing;
  }

  /** The same error one level up: `inner` is the name (or `[i]`) of the field that contains it. */
  within(inner: string): EncodeError {
    const path =
      this.path === '' ? inner : this.path.startsWith('[') ? inner + this.path : `${inner}.${this.path}`;
    return new EncodeError(this.reason, { path, missing: this.missing });
  }

  /** The same error, its message naming the message and version, e.g. `JoinGroupRequest v5`. */
  inContext(context: string): EncodeError {
    return new EncodeError(this.reason, { path: this.path, missing: this.missing, context });
  }
}

/** A protocol definition that cannot be compiled (a bad version range, an unknown type). */
export class SpecError extends KafkaRxError {
  constructor(message: string) {
    super('SpecError', message);
  }
}

/**
 * A request the broker side cannot decode because of its API key or version. It carries the
 * decoded header so that the broker can still answer (with UNSUPPORTED_VERSION, code 35).
 */
export class UnsupportedRequestError extends KafkaRxError {
  readonly header: { apiKey: number; apiVersion: number; correlationId: number; clientId: string | null };

  constructor(
    message: string,
    header: { apiKey: number; apiVersion: number; correlationId: number; clientId: string | null },
  ) {
    super('UnsupportedRequestError', message, { code: 35 });
    this.header = header;
  }
}
