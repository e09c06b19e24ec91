import { compileMessage, decodeFailure, encodeFailure, parseVersionRange } from './compiler';
import { DecodeError, EncodeError, UnsupportedRequestError } from './errors';
import {
  requestHeaderLayout,
  requestHeaderV1,
  requestHeaderVersion,
  responseHeaderLayout,
  responseHeaderVersion,
  type RequestHeader,
} from './headers';
import { gatherRecords, int16, int32, taggedFields, type Cursor, type GatheredRecords } from './primitives';
import type { ApiSpec, Message, MessageSpec } from './spec';
import type {
  DecodedOf,
  EncodedOf,
  ReceivedRequestOf,
  RequestOf,
  ResponseBodyOf,
  ResponseOf,
} from './spec-types';

export { inVersions, isFlexible, parseVersionRange } from './compiler';

/** The request header fields a broker sees, without tagged fields. */
export type DecodedRequestHeader = Pick<
  RequestHeader,
  'apiKey' | 'apiVersion' | 'correlationId' | 'clientId'
>;

/** Allocates a frame of `4 + size` bytes and writes the int32 size prefix. */
function allocFrame(size: number): Buffer {
  const b = Buffer.allocUnsafe(4 + size);
  b.writeInt32BE(size, 0);
  return b;
}

function checkFilled(b: Buffer, end: number): Buffer {
  // Measured and written sizes must agree: a gap would send stale memory.
  if (end !== b.length) throw new EncodeError(`internal: measured ${b.length} bytes but wrote ${end}`);
  return b;
}

/** What a frame's header needs: measure, then write at an offset. */
interface HeaderWriter<H> {
  sizeOf(h: H): number;
  write(h: H, b: Buffer, offset: number): number;
}

/**
 * One frame: size prefix, header, body, measured first (naming the part at fault) and written
 * into one buffer.
 */
function encodeFrame<H>(
  codec: ReturnType<typeof compileMessage>,
  headerLayout: HeaderWriter<H>,
  header: H,
  body: Message,
): Buffer {
  let size: number;
  try {
    size = headerLayout.sizeOf(header);
  } catch (e) {
    throw encodeFailure(`${codec.context} header`, e);
  }
  try {
    size += codec.layout.sizeOf(body);
  } catch (e) {
    throw encodeFailure(codec.context, e);
  }
  const b = allocFrame(size);
  return checkFilled(b, codec.layout.write(body, b, headerLayout.write(header, b, 4)));
}

/**
 * Encodes a request: the int32 size prefix, the request header (v1, or v2 for flexible
 * versions) and the body, measured first and written into one buffer, ready for a socket.
 * Throws `EncodeError` naming the field at fault, `SpecError` for a version the spec lacks.
 */
export function encodeRequest<A extends ApiSpec>(
  api: A,
  version: number,
  header: { correlationId: number; clientId: string | null },
  body: RequestOf<A>,
): Buffer {
  const codec = compileMessage(api.request, version);
  const headerLayout = requestHeaderLayout(requestHeaderVersion(api, version));
  const h: RequestHeader = {
    apiKey: api.apiKey,
    apiVersion: version,
    correlationId: header.correlationId,
    clientId: header.clientId,
  };
  return encodeFrame(codec, headerLayout, h, body);
}

/**
 * A request frame as written to a connection: one buffer, or its pieces in order when record
 * batches go as the producer made them (the size prefix, header and fields around them in a
 * buffer of their own).
 */
export type Frame = Buffer | readonly Buffer[];

/**
 * Encodes a request as `encodeRequest` does, except that record batches of at least
 * GATHER_MIN_BYTES (a Produce request's) are not copied into the frame: the frame comes back as
 * pieces, the batches themselves among them. Their bytes must not change until written.
 */
export function encodeRequestFrame<A extends ApiSpec>(
  api: A,
  version: number,
  header: { correlationId: number; clientId: string | null },
  body: RequestOf<A>,
): Frame {
  let frame: Buffer = EMPTY;
  const batches = gatherRecords(() => {
    frame = encodeRequest(api, version, header, body);
  });
  return batches.length === 0 ? frame : framePieces(frame, batches);
}

const EMPTY = Buffer.alloc(0);

/**
 * Splits a frame written with holes where the batches go into pieces: the bytes around the holes
 * are copied (they are small) into one buffer of their own, so that the frame's buffer, holes and
 * all, is garbage at once; the holes' pages were never written.
 */
function framePieces(frame: Buffer, batches: readonly GatheredRecords[]): Buffer[] {
  let own = frame.length;
  for (const g of batches) own -= g.bytes.length;
  const around = Buffer.allocUnsafe(own);
  const pieces: Buffer[] = [];
  let from = 0;
  let at = 0;
  const copyUpTo = (end: number): void => {
    const n = frame.copy(around, at, from, end);
    if (n > 0) pieces.push(around.subarray(at, at + n));
    at += n;
  };
  for (const g of batches) {
    copyUpTo(g.at);
    const b = g.bytes;
    pieces.push(Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.length));
    from = g.at + b.length;
  }
  copyUpTo(frame.length);
  return pieces;
}

/**
 * Encodes a response (broker side): size prefix, response header (v0, or v1 for flexible
 * versions except ApiVersions) and body.
 */
export function encodeResponse<A extends ApiSpec>(
  api: A,
  version: number,
  correlationId: number,
  body: ResponseBodyOf<A>,
): Buffer {
  const codec = compileMessage(api.response, version);
  const headerLayout = responseHeaderLayout(responseHeaderVersion(api, version));
  return encodeFrame(codec, headerLayout, { correlationId }, body);
}

/**
 * Decodes a response frame (without its size prefix): the header, then the body. Bytes after
 * the body are ignored, as Kafka's own clients ignore them: some brokers send them (librdkafka's
 * mock broker ends flexible Metadata responses with a second empty tagged-field count), and the
 * message itself is complete. Requests, on the broker side, stay strict. Throws `DecodeError`
 * on bad bytes.
 */
export function decodeResponse<A extends ApiSpec>(
  api: A,
  version: number,
  frame: Buffer,
): { correlationId: number; body: ResponseOf<A> } {
  const codec = compileMessage(api.response, version);
  const c: Cursor = { buf: frame, offset: 0, end: frame.length };
  try {
    const correlationId = int32.read(c);
    if (responseHeaderVersion(api, version) === 1) taggedFields.read(c);
    const body = codec.layout.read(c) as ResponseOf<A>;
    return { correlationId, body };
  } catch (e) {
    throw decodeFailure(codec.context, e);
  }
}

/** The correlation id of a response frame (without its size prefix): its first four bytes. */
export function readCorrelationId(frame: Buffer): number {
  if (frame.length < 4)
    throw new DecodeError(`a response frame of ${frame.length} bytes has no correlation id`, 0);
  return frame.readInt32BE(0);
}

/**
 * Decodes the header fields every request has (api key, version, correlation id, client id),
 * which do not depend on the API. Throws `DecodeError` on a truncated header.
 */
export function decodeRequestHeader(frame: Buffer): DecodedRequestHeader {
  try {
    return requestHeaderV1.read({ buf: frame, offset: 0, end: frame.length });
  } catch (e) {
    throw decodeFailure('request header', e);
  }
}

/**
 * Decodes a request frame (broker side, without its size prefix). `lookup` finds the API by
 * key. An unknown key or a version outside the API's range throws `UnsupportedRequestError`
 * carrying the header, so that the broker can still answer; bad bytes throw `DecodeError`.
 * Bytes after the message are ignored, as a Kafka broker ignores them (librdkafka 2.12 writes a
 * 4-byte placeholder for the null topic list of a flexible Metadata request).
 */
export function decodeRequest<A extends ApiSpec>(
  frame: Buffer,
  lookup: (apiKey: number) => A | undefined,
): { header: DecodedRequestHeader; api: A; body: ReceivedRequestOf<A> } {
  const c: Cursor = { buf: frame, offset: 0, end: frame.length };
  let header: DecodedRequestHeader;
  try {
    header = requestHeaderV1.read(c);
  } catch (e) {
    throw decodeFailure('request header', e);
  }
  const api = lookup(header.apiKey);
  if (api === undefined) throw new UnsupportedRequestError(`unknown API key ${header.apiKey}`, header);
  const version = header.apiVersion;
  if (version < api.minVersion || version > api.maxVersion) {
    throw new UnsupportedRequestError(
      `${api.name} v${version} is not supported (v${api.minVersion}-v${api.maxVersion})`,
      header,
    );
  }
  const codec = compileMessage(api.request, version);
  try {
    if (requestHeaderVersion(api, version) === 2) taggedFields.read(c);
    const body = codec.layout.read(c) as ReceivedRequestOf<A>;
    return { header, api, body };
  } catch (e) {
    throw decodeFailure(codec.context, e);
  }
}

/** Encodes an embedded structure (e.g. a consumer protocol subscription) without a version prefix. */
export function encodeMessage<S extends MessageSpec>(spec: S, version: number, body: EncodedOf<S>): Buffer {
  return compileMessage(spec, version).encode(body);
}

/** Decodes an embedded structure that fills `buf` exactly. */
export function decodeMessage<S extends MessageSpec>(spec: S, version: number, buf: Buffer): DecodedOf<S> {
  return compileMessage(spec, version).decode(buf) as DecodedOf<S>;
}

/**
 * Encodes an embedded structure with its int16 version first, as the consumer protocol's
 * subscription and assignment are sent inside JoinGroup and SyncGroup.
 */
export function encodeVersioned<S extends MessageSpec>(spec: S, version: number, body: EncodedOf<S>): Buffer {
  const codec = compileMessage(spec, version);
  let size: number;
  try {
    size = codec.layout.sizeOf(body);
  } catch (e) {
    throw encodeFailure(codec.context, e);
  }
  const b = Buffer.allocUnsafe(2 + size);
  b.writeInt16BE(version, 0);
  return checkFilled(b, codec.layout.write(body, b, 2));
}

/**
 * Decodes an int16 version and the structure after it. A version newer than the spec knows is
 * decoded with the newest known version and the bytes after the known fields are ignored: the
 * consumer protocol only ever appends fields, and this is what Kafka's own consumer does, so
 * members running newer clients can share a group. For the same reason (and as Kafka does)
 * trailing bytes are ignored at any version. `version` is the version on the wire.
 */
export function decodeVersioned<S extends MessageSpec>(
  spec: S,
  buf: Buffer,
): { version: number; body: DecodedOf<S> } {
  const c: Cursor = { buf, offset: 0, end: buf.length };
  let version: number;
  try {
    version = int16.read(c);
  } catch (e) {
    throw decodeFailure(spec.name, e);
  }
  const range = parseVersionRange(spec.validVersions);
  if (range === null || version < range.min) {
    throw new DecodeError(`${spec.name}: version ${version} is older than any this client knows`, 0);
  }
  const codec = compileMessage(spec, Math.min(version, range.max));
  try {
    return { version, body: codec.layout.read(c) as DecodedOf<S> };
  } catch (e) {
    throw decodeFailure(codec.context, e);
  }
}
