/* eslint-disable @typescript-eslint/no-require-imports */
/**
 * KafkaJS's record batch v2 encoder and decoder, used as the outside implementation that our
 * bytes are compared with. KafkaJS ships no types for these internals.
 */
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0');
const Record = require('kafkajs/src/protocol/recordBatch/record/v0');
const RecordBatchDecoder = require('kafkajs/src/protocol/recordBatch/v0/decoder');
const Decoder = require('kafkajs/src/protocol/decoder');
const Long = require('kafkajs/src/utils/long');
const { Codecs, Types } = require('kafkajs/src/protocol/message/compression');

export interface KafkaJsRecord {
  key: Buffer | null;
  value: Buffer | null;
  headers?: Record<string, Buffer>;
  timestamp: number;
}

export interface KafkaJsBatchOptions {
  baseOffset?: bigint;
  compression?: 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';
  producerId?: bigint;
  producerEpoch?: number;
  baseSequence?: number;
  transactional?: boolean;
  partitionLeaderEpoch?: number;
}

const COMPRESSION_TYPES = {
  none: Types.None,
  gzip: Types.GZIP,
  snappy: Types.Snappy,
  lz4: Types.LZ4,
  zstd: Types.ZSTD,
};

/** Encodes one batch the way KafkaJS's producer does (produce/v3/request.js). */
export async function kafkaJsEncodeBatch(
  records: KafkaJsRecord[],
  options: KafkaJsBatchOptions = {},
): Promise<Buffer> {
  const firstTimestamp = records[0].timestamp;
  const encoded = records.map((r, i) =>
    Record({
      offsetDelta: i,
      timestampDelta: r.timestamp - firstTimestamp,
      key: r.key,
      value: r.value,
      headers: r.headers,
    }),
  );
  const batch = await RecordBatch({
    compression: COMPRESSION_TYPES[options.compression ?? 'none'],
    firstOffset: new Long(options.baseOffset ?? 0n),
    firstTimestamp,
    maxTimestamp: Math.max(...records.map((r) => r.timestamp)),
    partitionLeaderEpoch: options.partitionLeaderEpoch ?? -1,
    lastOffsetDelta: records.length - 1,
    transactional: options.transactional ?? false,
    producerId: new Long(options.producerId ?? -1n),
    producerEpoch: options.producerEpoch ?? -1,
    firstSequence: options.baseSequence ?? -1,
    records: encoded,
  });
  return batch.buffer as Buffer;
}

export interface KafkaJsDecodedRecord {
  offset: string;
  timestamp: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer | Buffer[]>;
  isControlRecord: boolean;
}

/** Decodes every complete batch in `data` with KafkaJS's decoder (as its fetch v4+ response does). */
export async function kafkaJsDecodeBatches(data: Buffer): Promise<KafkaJsDecodedRecord[]> {
  const decoder = new Decoder(data);
  const records: KafkaJsDecodedRecord[] = [];
  while (decoder.canReadBytes(61)) {
    const batch = await RecordBatchDecoder(decoder);
    records.push(...batch.records);
  }
  return records;
}

/**
 * Lets KafkaJS read and write batches of `codec` (it implements only gzip itself) through the
 * given functions, e.g. an outside command-line tool.
 */
export function registerKafkaJsCodec(
  codec: 'snappy' | 'lz4' | 'zstd',
  functions: { compress(data: Buffer): Buffer; decompress(data: Buffer): Buffer },
): void {
  Codecs[COMPRESSION_TYPES[codec]] = () => ({
    compress: async (encoder: { buffer: Buffer }) => functions.compress(encoder.buffer),
    decompress: async (data: Buffer) => functions.decompress(data),
  });
}
