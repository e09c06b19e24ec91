import { gunzipSync, gzipSync } from 'node:zlib';

/** gzip (RFC 1952), the format Kafka's GZIPOutputStream writes. */
export function gzipCompress(data: Buffer): Buffer {
  return gzipSync(data);
}

/** Inflates one or more concatenated gzip members. */
export function gzipDecompress(data: Buffer): Buffer {
  return gunzipSync(data);
}
