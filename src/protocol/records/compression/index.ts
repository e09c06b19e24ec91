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

/** The attribute id of `codec`. */
export function compressionId(codec: Compression): number {
  const id = COMPRESSION_CODECS.indexOf(codec);
  if (id < 0)
    throw new KafkaRxError('UnsupportedCompression', `unknown compression codec '${String(codec)}'`);
  return id;
}

/** Compresses `data` as a Kafka producer of that codec would (gzip, xerial snappy, LZ4 frame, zstd frame). */
export function compress(codec: Compression, data: Buffer): Buffer {
  switch (codec) {
    case 'none':
      return data;
    case 'gzip':
      return gzipCompress(data);
    case 'snappy':
      return snappyCompress(data);
    case 'lz4':
      return lz4FrameCompress(data);
    case 'zstd':
      return zstdCompress(data);
    default:
      throw new KafkaRxError('UnsupportedCompression', `unknown compression codec '${String(codec)}'`);
  }
}

/**
 * Decompresses `data`; bad input gives a CorruptRecordError (never the codec's own error type).
 */
export function decompress(codec: Compression, data: Buffer): Buffer {
  try {
    switch (codec) {
      case 'none':
        return data;
      case 'gzip':
        return gzipDecompress(data);
      case 'snappy':
        return snappyDecompress(data);
      case 'lz4':
        return lz4FrameDecompress(data);
      case 'zstd':
        return zstdDecompress(data);
      default:
        throw new KafkaRxError('UnsupportedCompression', `unknown compression codec '${String(codec)}'`);
    }
  } catch (cause) {
    if (cause instanceof KafkaRxError) throw cause;
    throw new CorruptRecordError(`${codec}: ${(cause as Error).message}`, { cause });
  }
}
