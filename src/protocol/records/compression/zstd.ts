import * as zlib from 'node:zlib';
import { decompress as fzstdDecompress } from 'fzstd';
import { KafkaRxError } from '../../../errors';

/** Decodes one or more zstd frames (fzstd, pure JavaScript). */
export function zstdDecompress(data: Buffer): Buffer {
  const out = fzstdDecompress(data);
  return Buffer.from(out.buffer, out.byteOffset, out.length);
}

type ZstdCompressSync = (data: Buffer) => Buffer;

// Node 22.15+ and 23.8+ ship zstd in node:zlib; Node 20 does not, and no encoder is bundled.
const nativeZstdCompress = (zlib as unknown as { zstdCompressSync?: ZstdCompressSync }).zstdCompressSync;

/** Encodes a zstd frame where the runtime has an encoder (node:zlib on Node 22.15+). */
export function zstdCompress(data: Buffer): Buffer {
  if (nativeZstdCompress === undefined) {
    throw new KafkaRxError(
      'UnsupportedCompression',
      `zstd compression needs node:zlib's zstd (Node 22.15 or later); this is Node ${process.versions.node}. ` +
        'Reading zstd batches works everywhere; produce with gzip, snappy or lz4 here.',
    );
  }
  return nativeZstdCompress(data);
}
