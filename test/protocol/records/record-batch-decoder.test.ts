import {
  CorruptRecordError,
  crc32c,
  decodeRecords,
  encodeControlBatch,
  UnsupportedMessageFormatError,
  type DecodedRecord,
} from '../../../src/protocol/records';
import { KafkaRxError } from '../../../src/errors';
import { kafkaJsEncodeBatch, registerKafkaJsCodec, type KafkaJsRecord } from './kafkajs-reference';
import { itWith, outside } from './outside-tools';
import * as L from '../../../src/protocol/records/record-batch-layout';

const T0 = 1_700_000_000_000;

const sample: KafkaJsRecord[] = [
  { key: Buffer.from('k0'), value: Buffer.from('v0'), timestamp: T0 },
  { key: null, value: Buffer.from('value without key'), timestamp: T0 + 5 },
  {
    key: Buffer.from('k2'),
    value: null,
    timestamp: T0 + 1,
    headers: { trace: Buffer.from('abc'), empty: Buffer.alloc(0) },
  },
  {
    key: Buffer.from('ключ'),
    value: Buffer.alloc(300, 0x61),
    timestamp: T0 + 70_000,
    headers: { é: Buffer.from([0, 1, 2]) },
  },
];

function plain(records: DecodedRecord[]) {
  return records.map((r) => ({
    offset: r.offset,
    timestamp: r.timestamp,
    key: r.key?.toString('hex') ?? null,
    value: r.value?.toString('hex') ?? null,
    headers: r.headers.map(([k, v]) => [k, v?.toString('hex') ?? null]),
  }));
}

function expected(records: KafkaJsRecord[], baseOffset: bigint) {
  return records.map((r, i) => ({
    offset: baseOffset + BigInt(i),
    timestamp: r.timestamp,
    key: r.key?.toString('hex') ?? null,
    value: r.value?.toString('hex') ?? null,
    headers: Object.entries(r.headers ?? {}).map(([k, v]) => [k, v.toString('hex')]),
  }));
}

/** Rewrites the CRC after a test edits a batch, so that only the edit is under test. */
function refreshCrc(batch: Buffer, at = 0): Buffer {
  const end = at + L.LOG_OVERHEAD + batch.readInt32BE(at + L.BATCH_LENGTH);
  batch.writeUInt32BE(crc32c(batch, at + L.ATTRIBUTES, end), at + L.CRC);
  return batch;
}

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('decodeRecords: batches written by KafkaJS', () => {
  it('reads an uncompressed batch: offsets, timestamps, keys, values, headers', async () => {
    const data = await kafkaJsEncodeBatch(sample, { baseOffset: 42n });
    const { records, nextOffset } = decodeRecords(data);
    expect(plain(records)).toEqual(expected(sample, 42n));
    expect(nextOffset).toBe(46n);
  });

  it('returns keys and values as views into the fetched bytes, not copies', async () => {
    const data = await kafkaJsEncodeBatch(sample);
    const [first] = decodeRecords(data).records;
    expect(first.key!.buffer).toBe(data.buffer);
    expect(first.value!.byteOffset).toBeGreaterThanOrEqual(data.byteOffset);
  });

  it('reads a gzip batch (KafkaJS compresses with zlib)', async () => {
    const data = await kafkaJsEncodeBatch(sample, { baseOffset: 7n, compression: 'gzip' });
    expect(data.readInt16BE(L.ATTRIBUTES) & L.COMPRESSION_CODEC_MASK).toBe(1);
    expect(plain(decodeRecords(data).records)).toEqual(expected(sample, 7n));
  });

  for (const codec of ['lz4', 'zstd', 'snappy'] as const) {
    itWith(outside[codec])(`reads a ${codec} batch compressed by the outside ${codec} tool`, async () => {
      registerKafkaJsCodec(codec, outside[codec]);
      const data = await kafkaJsEncodeBatch(sample, { baseOffset: 100n, compression: codec });
      expect(plain(decodeRecords(data).records)).toEqual(expected(sample, 100n));
    });
  }

  it('reads several batches in a row and gives the offset after the last', async () => {
    const data = Buffer.concat([
      await kafkaJsEncodeBatch(sample.slice(0, 2), { baseOffset: 0n }),
      await kafkaJsEncodeBatch(sample.slice(2), { baseOffset: 2n, compression: 'gzip' }),
    ]);
    const { records, nextOffset } = decodeRecords(data);
    expect(plain(records)).toEqual(expected(sample, 0n));
    expect(nextOffset).toBe(4n);
  });
});

describe('decodeRecords: a batch laid out field by field from the protocol guide', () => {
  it('reads it', () => {
    // implementation.html 5.3.1/5.3.2: one record, key "k", value "hello", header ("h", "x").
    const record = Buffer.from([
      0x00, // attributes
      0x0a, // timestampDelta: zigzag(5)
      0x00, // offsetDelta 0
      0x02,
      0x6b, // key length 1, "k"
      0x0a,
      0x68,
      0x65,
      0x6c,
      0x6c,
      0x6f, // value length 5, "hello"
      0x02, // 1 header
      0x02,
      0x68,
      0x02,
      0x78, // "h" -> "x"
    ]);
    const records = Buffer.concat([Buffer.from([record.length << 1]), record]);
    const header = Buffer.alloc(61);
    header.writeBigInt64BE(9n, L.BASE_OFFSET);
    header.writeInt32BE(L.RECORD_BATCH_OVERHEAD - L.LOG_OVERHEAD + records.length, L.BATCH_LENGTH);
    header.writeInt32BE(3, L.PARTITION_LEADER_EPOCH);
    header.writeInt8(2, L.MAGIC);
    header.writeInt16BE(0, L.ATTRIBUTES);
    header.writeInt32BE(0, L.LAST_OFFSET_DELTA);
    header.writeBigInt64BE(BigInt(T0), L.BASE_TIMESTAMP);
    header.writeBigInt64BE(BigInt(T0 + 5), L.MAX_TIMESTAMP);
    header.writeBigInt64BE(-1n, L.PRODUCER_ID);
    header.writeInt16BE(-1, L.PRODUCER_EPOCH);
    header.writeInt32BE(-1, L.BASE_SEQUENCE);
    header.writeInt32BE(1, L.RECORDS_COUNT);
    const batch = refreshCrc(Buffer.concat([header, records]));
    expect(plain(decodeRecords(batch).records)).toEqual([
      { offset: 9n, timestamp: T0 + 5, key: '6b', value: '68656c6c6f', headers: [['h', '78']] },
    ]);
  });
});

describe('decodeRecords: fetch responses cut short', () => {
  it('ignores a truncated last batch; nextOffset comes from the last complete one', async () => {
    const first = await kafkaJsEncodeBatch(sample.slice(0, 2), { baseOffset: 10n });
    const second = await kafkaJsEncodeBatch(sample.slice(2), { baseOffset: 12n });
    for (const cut of [1, 11, 12, 16, 17, 60, 61, second.length - 1]) {
      const { records, nextOffset } = decodeRecords(Buffer.concat([first, second.subarray(0, cut)]));
      expect(records.map((r) => r.offset)).toEqual([10n, 11n]);
      expect(nextOffset).toBe(12n);
    }
  });

  it('gives nextOffset null when not one batch is complete', async () => {
    const only = await kafkaJsEncodeBatch(sample, { baseOffset: 10n });
    expect(decodeRecords(only.subarray(0, only.length - 1))).toEqual({ records: [], nextOffset: null });
    expect(decodeRecords(Buffer.alloc(0))).toEqual({ records: [], nextOffset: null });
  });
});

describe('decodeRecords: fromOffset', () => {
  it('drops records below it, and whole batches that end before it', async () => {
    const data = Buffer.concat([
      await kafkaJsEncodeBatch(sample.slice(0, 2), { baseOffset: 0n }),
      await kafkaJsEncodeBatch(sample.slice(2), { baseOffset: 2n, compression: 'gzip' }),
    ]);
    expect(decodeRecords(data, { fromOffset: 3n }).records.map((r) => r.offset)).toEqual([3n]);
    expect(decodeRecords(data, { fromOffset: 1n }).records.map((r) => r.offset)).toEqual([1n, 2n, 3n]);
    expect(decodeRecords(data, { fromOffset: 4n })).toEqual({ records: [], nextOffset: 4n });
  });
});

describe('decodeRecords: timestamps', () => {
  it('uses maxTimestamp for every record of a LogAppendTime batch', async () => {
    const batch = await kafkaJsEncodeBatch(sample);
    batch.writeInt16BE(batch.readInt16BE(L.ATTRIBUTES) | L.TIMESTAMP_TYPE_LOG_APPEND_TIME, L.ATTRIBUTES);
    batch.writeBigInt64BE(BigInt(T0 + 999), L.MAX_TIMESTAMP);
    const { records } = decodeRecords(refreshCrc(batch));
    expect(records.map((r) => r.timestamp)).toEqual(sample.map(() => T0 + 999));
  });
});

describe('decodeRecords: transactions', () => {
  const PID_A = 7n;
  const PID_B = 8n;
  const txn = (offset: bigint, producerId: bigint, n: number) =>
    kafkaJsEncodeBatch(
      Array.from({ length: n }, (_, i) => ({
        key: null,
        value: Buffer.from(`${producerId}:${offset + BigInt(i)}`),
        timestamp: T0,
      })),
      { baseOffset: offset, producerId, producerEpoch: 0, baseSequence: 0, transactional: true },
    );
  const marker = (offset: bigint, producerId: bigint, type: 'COMMIT' | 'ABORT') =>
    encodeControlBatch({
      type,
      producerId,
      producerEpoch: 0,
      baseOffset: offset,
      timestamp: T0,
      coordinatorEpoch: 1,
    });

  // A aborts 0-2, B commits 3-4 meanwhile, then A commits 7-8.
  async function log(): Promise<Buffer> {
    return Buffer.concat([
      await txn(0n, PID_A, 2),
      await txn(2n, PID_A, 1),
      await txn(3n, PID_B, 2),
      marker(5n, PID_A, 'ABORT'),
      marker(6n, PID_B, 'COMMIT'),
      await txn(7n, PID_A, 2),
      marker(9n, PID_A, 'COMMIT'),
    ]);
  }

  it('never returns control records, and counts them in nextOffset', async () => {
    const { records, nextOffset } = decodeRecords(await log());
    expect(records.map((r) => r.offset)).toEqual([0n, 1n, 2n, 3n, 4n, 7n, 8n]);
    expect(nextOffset).toBe(10n);
  });

  it('read_committed drops the aborted transaction only', async () => {
    const { records, nextOffset } = decodeRecords(await log(), {
      isolationLevel: 'read_committed',
      abortedTransactions: [{ producerId: PID_A, firstOffset: 0n }],
    });
    expect(records.map((r) => r.value!.toString())).toEqual(['8:3', '8:4', '7:7', '7:8']);
    expect(nextOffset).toBe(10n);
  });

  it('read_uncommitted keeps aborted records', async () => {
    const { records } = decodeRecords(await log(), {
      isolationLevel: 'read_uncommitted',
      abortedTransactions: [{ producerId: PID_A, firstOffset: 0n }],
    });
    expect(records).toHaveLength(7);
  });

  it('read_committed with two aborted transactions of one producer, listed out of order', async () => {
    const data = Buffer.concat([
      await log(),
      await txn(10n, PID_A, 1),
      marker(11n, PID_A, 'ABORT'),
      await txn(12n, PID_B, 1),
    ]);
    const { records, nextOffset } = decodeRecords(data, {
      isolationLevel: 'read_committed',
      abortedTransactions: [
        { producerId: PID_A, firstOffset: 10n },
        { producerId: PID_A, firstOffset: 0n },
      ],
    });
    expect(records.map((r) => r.offset)).toEqual([3n, 4n, 7n, 8n, 12n]);
    expect(nextOffset).toBe(13n);
  });

  it('writes markers with the control and transactional bits and the documented key and value', () => {
    const batch = marker(5n, PID_A, 'ABORT');
    expect(batch.readInt16BE(L.ATTRIBUTES)).toBe(L.TRANSACTIONAL_FLAG | L.CONTROL_FLAG);
    expect(batch.readBigInt64BE(L.PRODUCER_ID)).toBe(PID_A);
    // The single record: length 16, attributes, ts delta, offset delta, key(4) 0000 0000, value(6) 0000 00000001, 0 headers.
    expect(batch.subarray(61).toString('hex')).toBe(
      '20' + '00' + '00' + '00' + '08' + '00000000' + '0c' + '000000000001' + '00',
    );
    expect(crc32c(batch, L.ATTRIBUTES)).toBe(batch.readUInt32BE(L.CRC));
  });
});

describe('decodeRecords: bad bytes', () => {
  it('throws CorruptRecordError with the base offset on a CRC mismatch', async () => {
    const batch = await kafkaJsEncodeBatch(sample, { baseOffset: 77n });
    batch[batch.length - 3] ^= 0x20;
    const error = caught(() => decodeRecords(batch));
    expect(error).toBeInstanceOf(CorruptRecordError);
    expect(error).toBeInstanceOf(KafkaRxError);
    expect((error as CorruptRecordError).name).toBe('CorruptRecordError');
    expect((error as CorruptRecordError).baseOffset).toBe(77n);
    expect((error as Error).message).toMatch(/CRC/);
    // With verification off the flipped value byte comes through.
    expect(decodeRecords(batch, { verifyCrc: false }).records).toHaveLength(4);
  });

  it('throws UnsupportedMessageFormatError on message format v1 (magic 1)', () => {
    // offset, size, crc, magic 1, attributes, timestamp, key -1, value "v" (Kafka 0.10 MessageSet).
    const message = Buffer.alloc(8 + 4 + 4 + 1 + 1 + 8 + 4 + 4 + 1);
    message.writeBigInt64BE(5n, 0);
    message.writeInt32BE(message.length - 12, 8);
    message.writeInt8(1, 16);
    message.writeBigInt64BE(BigInt(T0), 18);
    message.writeInt32BE(-1, 26);
    message.writeInt32BE(1, 30);
    message.write('v', 34);
    const error = caught(() => decodeRecords(message));
    expect(error).toBeInstanceOf(UnsupportedMessageFormatError);
    expect((error as Error).name).toBe('UnsupportedMessageFormatError');
    expect((error as Error).message).toMatch(/magic 1/);
  });

  it('throws CorruptRecordError when a record length runs past the batch', async () => {
    const batch = await kafkaJsEncodeBatch(sample.slice(0, 1));
    batch[61] = 0x7e; // record length 63, the batch holds fewer bytes
    expect(caught(() => decodeRecords(refreshCrc(batch)))).toBeInstanceOf(CorruptRecordError);
  });

  it('throws CorruptRecordError on a varint longer than 5 bytes', async () => {
    const batch = await kafkaJsEncodeBatch(sample.slice(0, 1));
    batch.fill(0xff, 61, 67);
    const error = caught(() => decodeRecords(refreshCrc(batch)));
    expect(error).toBeInstanceOf(CorruptRecordError);
    expect((error as Error).message).toMatch(/varint/);
  });

  it('throws CorruptRecordError when the record count does not match the records', async () => {
    const more = await kafkaJsEncodeBatch(sample.slice(0, 2));
    more.writeInt32BE(3, L.RECORDS_COUNT);
    expect(caught(() => decodeRecords(refreshCrc(more)))).toBeInstanceOf(CorruptRecordError);
    const fewer = await kafkaJsEncodeBatch(sample.slice(0, 2));
    fewer.writeInt32BE(1, L.RECORDS_COUNT);
    expect((caught(() => decodeRecords(refreshCrc(fewer))) as Error).message).toMatch(/left after/);
  });

  it('throws CorruptRecordError when compressed records do not decompress', async () => {
    const batch = await kafkaJsEncodeBatch(sample, { compression: 'gzip', baseOffset: 3n });
    batch.fill(0, 70, 90);
    const error = caught(() => decodeRecords(refreshCrc(batch)));
    expect(error).toBeInstanceOf(CorruptRecordError);
    expect((error as CorruptRecordError).baseOffset).toBe(3n);
  });
});
