import { Layout } from 'buffer-layout';
import { DecodeError, EncodeError } from '../errors';

/**
 * A read position in a buffer. `end` bounds reading: a frame, or the size given by a tagged
 * field. Decoders advance `offset` and never read at or past `end`.
 */
export interface Cursor {
  buf: Buffer;
  offset: number;
  end: number;
}

/** A cursor over the whole of `buf`, or from `offset` to its end. */
export function cursor(buf: Buffer, offset = 0): Cursor {
  return { buf, offset, end: buf.length };
}

/**
 * A buffer-layout `Layout` for a Kafka protocol type. On top of `decode`/`encode`/`getSpan`
 * it offers what a variable-size wire format needs:
 * - `read(cursor)` decodes and advances, so a decoder walks a frame once;
 * - `sizeOf(value)` measures (and validates) a value before anything is allocated;
 * - `write(value, buf, offset)` writes into a buffer already sized by `sizeOf` and returns the
 *   offset after the value.
 * Fixed-size layouts have `span >= 0`; variable-size ones have `span === -1`.
 */
export abstract class KafkaLayout<T> extends Layout<T> {
  constructor(span: number, property?: string) {
    super(span, property);
  }

  /** Decodes the value at `c.offset` and advances past it; throws `DecodeError` on bad bytes. */
  abstract read(c: Cursor): T;

  /** The encoded size of `value`; throws `EncodeError` when it cannot be encoded. */
  abstract sizeOf(value: T): number;

  /** Writes a value already measured by `sizeOf`; returns the offset after it. */
  abstract write(value: T, b: Buffer, offset: number): number;

  override decode(b: Buffer, offset = 0): T {
    return this.read({ buf: b, offset, end: b.length });
  }

  /** Encodes at `offset` and returns the number of bytes written (buffer-layout's contract). */
  override encode(src: T, b: Buffer, offset = 0): number {
    const size = this.sizeOf(src);
    if (offset + size > b.length) {
      throw new EncodeError(`needs ${size} bytes at offset ${offset}, the buffer has ${b.length - offset}`);
    }
    return this.write(src, b, offset) - offset;
  }

  override getSpan(b?: Buffer, offset = 0): number {
    if (this.span >= 0) return this.span;
    if (b === undefined) throw new DecodeError('a variable-size layout needs a buffer to measure');
    const c = { buf: b, offset, end: b.length };
    this.read(c);
    return c.offset - offset;
  }

  /** Measures, allocates exactly once, writes. */
  toBuffer(value: T): Buffer {
    const size = this.sizeOf(value);
    const b = Buffer.allocUnsafe(size);
    const end = this.write(value, b, 0);
    if (end !== size) throw new EncodeError(`internal: measured ${size} bytes but wrote ${end}`);
    return b;
  }
}

/** The error for reading `n` bytes of `what` where fewer remain. */
export function underflow(c: Cursor, n: number, what: string): DecodeError {
  return new DecodeError(
    `${what}: needs ${n} bytes at offset ${c.offset}, only ${Math.max(0, c.end - c.offset)} remain`,
    c.offset,
  );
}

/** Throws a `DecodeError` unless `n` more bytes are readable. */
export function need(c: Cursor, n: number, what: string): void {
  if (n > c.end - c.offset) throw underflow(c, n, what);
}

/** A short description of a bad value for error messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Buffer.isBuffer(value)) return `a Buffer of ${value.length} bytes`;
  if (Array.isArray(value)) return `an array of ${value.length}`;
  return `a ${typeof value}`;
}
