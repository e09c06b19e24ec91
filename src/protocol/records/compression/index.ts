import { KafkaRxError } from '../../../errors';
import { CorruptRecordError } from '../errors';
import { gzipCompress, gzipDecompress } from './gzip';
import { lz4FrameCompress, lz4FrameDecompress } from './lz4-frame';
import { snappyCompress, snappyDecompress } from './snappy';
import { zstdCompress, zstdDecompress } from './zstd';

/** A record batch's compression codec: attribute bits 0..2 hold its index here. */
export type Compression = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';

/** Codecs by their attribute id. */
export const COMPRESSION_CODECS: readonly Compression[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

/** What a codec does to a batch's records section. */
interface Codec {
  compress(data: Buffer): Buffer;
  decompress(data: Buffer): Buffer;
}

const identity = (data: Buffer): Buffer => data;

const CODECS: ReadonlyMap<Compression, Codec> = new Map<Compression, Codec>([
  ['none', { compress: identity, decompress: identity }],
  ['gzip', { compress: gzipCompress, decompress: gzipDecompress }],
  ['snappy', { compress: snappyCompress, decompress: snappyDecompress }],
  ['lz4', { compress: lz4FrameCompress, decompress: lz4FrameDecompress }],
  ['zstd', { compress: zstdCompress, decompress: zstdDecompress }],
]);

function unsupported(codec: unknown): KafkaRxError {
  return new KafkaRxError('UnsupportedCompression', `unknown compression codec '${String(codec)}'`);
}

function codecOf(codec: Compression): Codec {
  const found = CODECS.get(codec);
  if (found === undefined) throw unsupported(codec);
  return found;
}

/** The attribute id of `codec`. */
export function compressionId(codec: Compression): number {
  const id = COMPRESSION_CODECS.indexOf(codec);
  if (id < 0) throw unsupported(codec);
  return id;
}

/** Compresses `data` as a Kafka producer of that codec would (gzip, xerial snappy, LZ4 frame, zstd frame). */
export function compress(codec: Compression, data: Buffer): Buffer {
  return codecOf(codec).compress(data);
}

/**
 * Decompresses `data`; bad input gives a CorruptRecordError (never the codec's own error type).
 */
export function decompress(codec: Compression, data: Buffer): Buffer {
  try {
    return codecOf(codec).decompress(data);
  } catch (cause) {
    if (cause instanceof KafkaRxError) throw cause;
    throw new CorruptRecordError(`${codec}: ${(cause as Error).message}`, { cause });
  }
}
