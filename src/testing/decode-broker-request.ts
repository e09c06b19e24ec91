import { compileMessage, decodeFailure } from '../protocol/compiler';
import type { DecodedRequestHeader } from '../protocol/codec';
import { UnsupportedRequestError } from '../protocol/errors';
import { requestHeaderV1, requestHeaderVersion } from '../protocol/headers';
import { taggedFields, type Cursor } from '../protocol/primitives';
import type { ApiSpec, Message } from '../protocol/spec';

/**
 * Decodes a request frame (without its size prefix) as a Kafka broker does: like the codec's
 * `decodeRequest`, except that bytes after the message are ignored. Kafka's request parser
 * stops at the end of the message, and clients rely on it: librdkafka 2.12 writes a 4-byte
 * placeholder for the null topic array of a flexible Metadata request.
 */
export function decodeBrokerRequest(
  frame: Buffer,
  lookup: (apiKey: number) => ApiSpec | undefined,
): { header: DecodedRequestHeader; api: ApiSpec; body: Message } {
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
    return { header, api, body: codec.layout.read(c) };
  } catch (e) {
    throw decodeFailure(codec.context, e);
  }
}
