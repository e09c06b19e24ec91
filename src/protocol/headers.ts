import { isFlexible } from './compiler';
import { EncodeError } from './errors';
import {
  describe,
  int16,
  int32,
  KafkaLayout,
  nullableString,
  taggedFields,
  writeUVarInt,
  type Cursor,
  type RawTaggedField,
} from './primitives';
import type { ApiSpec } from './spec';

/** The ApiVersions key: its responses always use response header v0. */
export const API_VERSIONS_KEY = 18;

/** A request header: which API and version, the correlation id echoed back, and the client id. */
export interface RequestHeader {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string | null;
  /** Header tagged fields (v2), kept when decoded; none are defined today. */
  _unknownTaggedFields?: readonly RawTaggedField[];
}

/** A response header: the correlation id of the request it answers. */
export interface ResponseHeader {
  correlationId: number;
  _unknownTaggedFields?: readonly RawTaggedField[];
}

/**
 * The request header version for a request: v2 when the API version is flexible, else v1.
 * (v0, without a client id, is only for ControlledShutdown v0, which kafka-rx does not send.)
 */
export function requestHeaderVersion(api: ApiSpec, apiVersion: number): 1 | 2 {
  return isFlexible(api.request, apiVersion) ? 2 : 1;
}

/**
 * The response header version for a response: v1 when the API version is flexible, else v0;
 * always v0 for ApiVersions, so that a client can read the error of a version it does not know.
 */
export function responseHeaderVersion(api: ApiSpec, apiVersion: number): 0 | 1 {
  if (api.apiKey === API_VERSIONS_KEY) return 0;
  return isFlexible(api.response, apiVersion) ? 1 : 0;
}

/**
 * Request header v0 (api key, api version, correlation id), v1 (+ client id, a nullable string)
 * and v2 (+ tagged fields; the client id stays a non-compact nullable string).
 */
export class RequestHeaderLayout extends KafkaLayout<RequestHeader> {
  constructor(
    readonly version: 0 | 1 | 2,
    property?: string,
  ) {
    super(-1, property);
  }

  read(c: Cursor): RequestHeader {
    const apiKey = int16.read(c);
    const apiVersion = int16.read(c);
    const correlationId = int32.read(c);
    const clientId = this.version >= 1 ? nullableString.read(c) : null;
    const header: RequestHeader = { apiKey, apiVersion, correlationId, clientId };
    if (this.version === 2) {
      const unknown = taggedFields.read(c);
      if (unknown.length > 0) header._unknownTaggedFields = unknown;
    }
    return header;
  }

  sizeOf(h: RequestHeader): number {
    if (h === null || typeof h !== 'object')
      throw new EncodeError(`expected a request header, got ${describe(h)}`);
    let field = 'apiKey';
    try {
      let size = int16.sizeOf(h.apiKey);
      field = 'apiVersion';
      size += int16.sizeOf(h.apiVersion);
      field = 'correlationId';
      size += int32.sizeOf(h.correlationId);
      if (this.version >= 1) {
        field = 'clientId';
        size += nullableString.sizeOf(h.clientId);
      }
      if (this.version === 2) {
        field = '_unknownTaggedFields';
        size += taggedFields.sizeOf(h._unknownTaggedFields ?? []);
      }
      return size;
    } catch (e) {
      throw e instanceof EncodeError ? e.within(field) : e;
    }
  }

  write(h: RequestHeader, b: Buffer, o: number): number {
    o = b.writeInt16BE(h.apiKey, o);
    o = b.writeInt16BE(h.apiVersion, o);
    o = b.writeInt32BE(h.correlationId, o);
    if (this.version >= 1) o = nullableString.write(h.clientId, b, o);
    if (this.version === 2) {
      o =
        h._unknownTaggedFields === undefined
          ? writeUVarInt(0, b, o)
          : taggedFields.write(h._unknownTaggedFields, b, o);
    }
    return o;
  }
}

/** Response header v0 (correlation id) and v1 (+ tagged fields). */
export class ResponseHeaderLayout extends KafkaLayout<ResponseHeader> {
  constructor(
    readonly version: 0 | 1,
    property?: string,
  ) {
    super(version === 0 ? 4 : -1, property);
  }

  read(c: Cursor): ResponseHeader {
    const header: ResponseHeader = { correlationId: int32.read(c) };
    if (this.version === 1) {
      const unknown = taggedFields.read(c);
      if (unknown.length > 0) header._unknownTaggedFields = unknown;
    }
    return header;
  }

  sizeOf(h: ResponseHeader): number {
    if (h === null || typeof h !== 'object')
      throw new EncodeError(`expected a response header, got ${describe(h)}`);
    let field = 'correlationId';
    try {
      let size = int32.sizeOf(h.correlationId);
      field = '_unknownTaggedFields';
      if (this.version === 1) size += taggedFields.sizeOf(h._unknownTaggedFields ?? []);
      return size;
    } catch (e) {
      throw e instanceof EncodeError ? e.within(field) : e;
    }
  }

  write(h: ResponseHeader, b: Buffer, o: number): number {
    o = b.writeInt32BE(h.correlationId, o);
    if (this.version === 1) {
      o =
        h._unknownTaggedFields === undefined
          ? writeUVarInt(0, b, o)
          : taggedFields.write(h._unknownTaggedFields, b, o);
    }
    return o;
  }
}

export const requestHeaderV0 = new RequestHeaderLayout(0);
export const requestHeaderV1 = new RequestHeaderLayout(1);
export const requestHeaderV2 = new RequestHeaderLayout(2);
export const responseHeaderV0 = new ResponseHeaderLayout(0);
export const responseHeaderV1 = new ResponseHeaderLayout(1);

/** The request header layout of a version. */
export function requestHeaderLayout(version: 0 | 1 | 2): RequestHeaderLayout {
  return version === 0 ? requestHeaderV0 : version === 1 ? requestHeaderV1 : requestHeaderV2;
}

/** The response header layout of a version. */
export function responseHeaderLayout(version: 0 | 1): ResponseHeaderLayout {
  return version === 0 ? responseHeaderV0 : responseHeaderV1;
}
