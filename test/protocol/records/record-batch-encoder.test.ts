import {
  crc32c,
  encodeRecordBatch,
  type Compression,
  type ProducerRecordInput,
} from '../../../src/protocol/records';
import { KafkaRxError } from '../../../src/errors';
import {
  kafkaJsDecodeBatches,
  kafkaJsEncodeBatch,
  registerKafkaJsCodec,
  type KafkaJsRecord,
} from './kafkajs-reference';
import { itWith, outside } from './outside-tools';
import * as L from '../../../src/protocol/records/record-batch-layout';

const T0 = 1_700_000_000_000;

const kafkaJsRecords: KafkaJsRecord[] = [
  { key: Buffer.from('order-1'), value: Buffer.from('{"qty":1}'), timestamp: T0 },
  { key: null, value: Buffer.alloc(200, 0x2a), timestamp: T0 + 3 },
  {
    key: Buffer.from('order-3'),
    value: null,
    timestamp: T0 - 2,
    headers: { source: Buffer.from('web'), ü: Buffer.alloc(0) },
  },
  { key: Buffer.alloc(0), value: Buffer.from('x'), timestamp: T0 + 100_000 },
];

const ours: ProducerRecordInput[] = kafkaJsRecords.map((r) => ({
  key: r.key,
  value: r.value,
  timestamp: r.timestamp,
  headers: Object.entries(r.headers ?? {}),
}));

describe('encodeRecordBatch: the same bytes as KafkaJS', () => {
  it('uncompressed, with defaults of a plain producer', async () => {
    expect(encodeRecordBatch(ours).toString('hex')).toBe(
      (await kafkaJsEncodeBatch(kafkaJsRecords)).toString('hex'),
    );
  });

  it('idempotent and transactional header fields', async () => {
    const options = {
      baseOffset: 1234n,
      producerId: 9_000_000_001n,
      producerEpoch: 3,
      baseSequence: 77,
      transactional: true,
      partitionLeaderEpoch: 5,
    };
    expect(encodeRecordBatch(ours, options).toString('hex')).toBe(
      (await kafkaJsEncodeBatch(kafkaJsRecords, options)).toString('hex'),
    );
  });

  it('one record with a large value (multi-byte varint lengths)', async () => {
    const big: KafkaJsRecord = { key: Buffer.from('k'), value: Buffer.alloc(70_000, 1), timestamp: T0 };
    expect(
      encodeRecordBatch([{ key: big.key, value: big.value, timestamp: big.timestamp }]).equals(
        await kafkaJsEncodeBatch([big]),
      ),
    ).toBe(true);
  });
});

describe('encodeRecordBatch: compressed batches read by KafkaJS', () => {
  const codecs: Compression[] = ['gzip', 'lz4', 'snappy'];
  for (const codec of codecs) {
    const test = codec === 'gzip' ? it : itWith(outside[codec as 'lz4' | 'snappy']);
    test(`${codec}: KafkaJS reads our batch (${codec === 'gzip' ? 'its own zlib' : `the outside ${codec} decoder`})`, async () => {
      if (codec !== 'gzip')
        registerKafkaJsCodec(codec as 'lz4' | 'snappy', outside[codec as 'lz4' | 'snappy']);
      const batch = encodeRecordBatch(ours, { compression: codec, baseOffset: 50n });
      expect(batch.readInt16BE(L.ATTRIBUTES) & L.COMPRESSION_CODEC_MASK).toBe(
        ['none', 'gzip', 'snappy', 'lz4'].indexOf(codec),
      );
      const decoded = await kafkaJsDecodeBatches(batch);
      expect(
        decoded.map((r) => ({
          offset: r.offset,
          timestamp: r.timestamp,
          key: r.key,
          value: r.value,
          headers: r.headers,
        })),
      ).toEqual(
        kafkaJsRecords.map((r, i) => ({
          offset: String(50 + i),
          timestamp: String(r.timestamp),
          key: r.key,
          value: r.value,
          headers: r.headers ?? {},
        })),
      );
    });
  }
});

describe('encodeRecordBatch: header', () => {
  it('fills the CRC-32C over attributes to the end, and the documented fields', () => {
    const batch = encodeRecordBatch(ours, { compression: 'lz4' });
    expect(batch.readInt8(L.MAGIC)).toBe(2);
    expect(batch.readInt32BE(L.BATCH_LENGTH)).toBe(batch.length - L.LOG_OVERHEAD);
    expect(batch.readUInt32BE(L.CRC)).toBe(crc32c(batch, L.ATTRIBUTES));
    expect(batch.readInt32BE(L.LAST_OFFSET_DELTA)).toBe(3);
    expect(batch.readBigInt64BE(L.BASE_TIMESTAMP)).toBe(BigInt(T0)); // the first record's
    expect(batch.readBigInt64BE(L.MAX_TIMESTAMP)).toBe(BigInt(T0 + 100_000));
    expect(batch.readInt32BE(L.PARTITION_LEADER_EPOCH)).toBe(-1); // set by the broker
    expect(batch.readBigInt64BE(L.PRODUCER_ID)).toBe(-1n);
    expect(batch.readInt16BE(L.PRODUCER_EPOCH)).toBe(-1);
    expect(batch.readInt32BE(L.BASE_SEQUENCE)).toBe(-1);
    expect(batch.readInt32BE(L.RECORDS_COUNT)).toBe(4);
  });

  it('refuses an empty batch and a non-integer timestamp with a KafkaRxError', () => {
    expect(() => encodeRecordBatch([])).toThrow(KafkaRxError);
    expect(() => encodeRecordBatch([{ value: null, timestamp: 1.5 }])).toThrow(KafkaRxError);
  });
});
