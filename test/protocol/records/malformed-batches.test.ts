import {
  CorruptRecordError,
  crc32c,
  encodeControlBatch,
  readControlRecordType,
  readRecordBatches,
  UnsupportedMessageFormatError,
  type RecordFactory,
} from '../../../src/protocol/records';
import { AbortedTransactions } from '../../../src/protocol/records/aborted-transactions';
import { KafkaRxError } from '../../../src/errors';
import * as L from '../../../src/protocol/records/record-batch-layout';

// Record batches v2 laid out by hand, byte by byte, from Kafka's DefaultRecordBatch layout, so
// that each check of the reader can be met by exactly the bad field it is about.

function zigzag(value: number): Buffer {
  let u = value >= 0 ? BigInt(value) * 2n : -BigInt(value) * 2n - 1n;
  const out: number[] = [];
  while (u >= 0x80n) {
    out.push(Number(u & 0x7fn) | 0x80);
    u >>= 7n;
  }
  out.push(Number(u));
  return Buffer.from(out);
}

const field = (bytes: Buffer | null) =>
  bytes === null ? zigzag(-1) : Buffer.concat([zigzag(bytes.length), bytes]);

interface RecordSpec {
  offsetDelta?: number;
  timestampDelta?: number;
  key?: Buffer | null;
  value?: Buffer | null;
  headers?: Array<[string, Buffer | null]>;
  /** Raw bytes after the attributes byte, instead of the fields above. */
  body?: Buffer;
  /** Added to the length the record declares. */
  sizeDelta?: number;
}

function record(spec: RecordSpec): Buffer {
  const body =
    spec.body ??
    Buffer.concat([
      zigzag(spec.timestampDelta ?? 0),
      zigzag(spec.offsetDelta ?? 0),
      field(spec.key ?? null),
      field(spec.value === undefined ? Buffer.from('v') : spec.value),
      zigzag(spec.headers?.length ?? 0),
      ...(spec.headers ?? []).flatMap(([k, v]) => [field(Buffer.from(k)), field(v)]),
    ]);
  const withAttributes = Buffer.concat([Buffer.from([0]), body]);
  return Buffer.concat([zigzag(withAttributes.length + (spec.sizeDelta ?? 0)), withAttributes]);
}

interface BatchSpec {
  baseOffset?: bigint;
  magic?: number;
  attributes?: number;
  lastOffsetDelta?: number;
  baseTimestamp?: number;
  maxTimestamp?: number;
  producerId?: bigint;
  count?: number;
  batchLength?: number;
}

function batch(records: Buffer[], spec: BatchSpec = {}): Buffer {
  const body = Buffer.concat(records);
  const header = Buffer.alloc(61);
  header.writeBigInt64BE(spec.baseOffset ?? 0n, L.BASE_OFFSET);
  header.writeInt32BE(
    spec.batchLength ?? L.RECORD_BATCH_OVERHEAD - L.LOG_OVERHEAD + body.length,
    L.BATCH_LENGTH,
  );
  header.writeInt32BE(-1, L.PARTITION_LEADER_EPOCH);
  header.writeInt8(spec.magic ?? 2, L.MAGIC);
  header.writeInt16BE(spec.attributes ?? 0, L.ATTRIBUTES);
  header.writeInt32BE(spec.lastOffsetDelta ?? Math.max(records.length - 1, 0), L.LAST_OFFSET_DELTA);
  header.writeBigInt64BE(BigInt(spec.baseTimestamp ?? 1000), L.BASE_TIMESTAMP);
  header.writeBigInt64BE(BigInt(spec.maxTimestamp ?? 1000), L.MAX_TIMESTAMP);
  header.writeBigInt64BE(spec.producerId ?? -1n, L.PRODUCER_ID);
  header.writeInt16BE(-1, L.PRODUCER_EPOCH);
  header.writeInt32BE(-1, L.BASE_SEQUENCE);
  header.writeInt32BE(spec.count ?? records.length, L.RECORDS_COUNT);
  const out = Buffer.concat([header, body]);
  out.writeUInt32BE(crc32c(out, L.ATTRIBUTES, out.length), L.CRC);
  return out;
}

const asText: RecordFactory<string> = (offset, timestamp, key, value, headers) =>
  [
    offset,
    timestamp,
    key?.toString() ?? '-',
    value?.toString() ?? '-',
    ...headers.map(([k, v]) => `${k}=${v}`),
  ].join(' ');

function readAll(data: Buffer, options = {}): string[] {
  const fetched = readRecordBatches(data, options);
  const out: string[] = [];
  while (fetched.count > 0) out.push(fetched.next(asText));
  return out;
}

function corrupt(data: Buffer, message: string, baseOffset: bigint): void {
  let thrown: unknown;
  try {
    readRecordBatches(data);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(CorruptRecordError);
  expect((thrown as CorruptRecordError).message).toContain(message);
  expect((thrown as CorruptRecordError).baseOffset).toBe(baseOffset);
}

describe('readRecordBatches: batches laid out by hand', () => {
  it('reads a well-formed batch (the layout of these tests is right)', () => {
    const data = batch(
      [
        record({ key: Buffer.from('k'), value: Buffer.from('a'), headers: [['h', Buffer.from('x')]] }),
        record({ offsetDelta: 1, timestampDelta: 7, value: null, headers: [['n', null]] }),
      ],
      { baseOffset: 10n },
    );
    expect(readAll(data)).toEqual(['10 1000 k a h=x', '11 1007 - - n=null']);
  });

  it('refuses magic 0 and 1 as an unsupported format, other magic bytes as corrupt', () => {
    for (const magic of [0, 1]) {
      expect(() => readRecordBatches(batch([record({})], { magic, baseOffset: 5n }))).toThrow(
        UnsupportedMessageFormatError,
      );
    }
    corrupt(batch([record({})], { magic: 3, baseOffset: 6n }), 'unknown magic byte 3', 6n);
  });

  it('a batch length shorter than the batch header is corrupt; exactly the header is an empty batch', () => {
    corrupt(
      batch([], { batchLength: 48, baseOffset: 7n }),
      'batch length 48 is shorter than a batch header',
      7n,
    );
    const empty = readRecordBatches(batch([], { baseOffset: 7n, lastOffsetDelta: 2 }));
    expect(empty.count).toBe(0);
    expect(empty.nextOffset).toBe(10n);
  });

  it('a negative record count, an unknown codec, or bytes in a batch of 0 records', () => {
    corrupt(batch([record({})], { count: -1, baseOffset: 8n }), 'negative record count -1', 8n);
    expect(() => readRecordBatches(batch([record({})], { attributes: 5 }))).toThrow(
      new KafkaRxError('UnsupportedCompression', 'unknown compression codec id 5'),
    );
    const extra = record({});
    corrupt(
      batch([extra], { count: 0, baseOffset: 9n }),
      `${extra.length} bytes in a batch of 0 records`,
      9n,
    );
  });

  it('a record longer than what is left of its batch, or of negative length', () => {
    corrupt(batch([record({ sizeDelta: 1 })], { baseOffset: 11n }), 'record 0 of', 11n);
    corrupt(batch([record({}), record({ sizeDelta: 5, offsetDelta: 1 })]), 'record 1 of', 0n);
    const negative = Buffer.concat([zigzag(-3), Buffer.alloc(8)]);
    corrupt(batch([negative]), 'record 0 of -3 bytes runs past its batch', 0n);
  });

  it('a record whose fields do not fill its declared length, or bytes after the last record', () => {
    const fields = (...parts: Buffer[]) => record({ body: Buffer.concat(parts) });
    // A value of 3 bytes with 1 byte of it (and the header count) left in the record.
    const short = fields(zigzag(0), zigzag(0), field(null), zigzag(3), Buffer.from('v'), zigzag(0));
    corrupt(batch([short]), 'field of 3 bytes runs past its record', 0n);
    // Declared one byte short: the header count lies past the record's end.
    corrupt(batch([record({ sizeDelta: -1 })]), 'record runs past the end of its batch', 0n);
    const padded = Buffer.concat([
      zigzag(8),
      Buffer.from([0]),
      zigzag(0),
      zigzag(0),
      field(null),
      field(null),
      zigzag(0),
      Buffer.alloc(2),
    ]);
    corrupt(batch([padded]), 'record 0 declares 8 bytes but its fields take 6', 0n);
    corrupt(
      batch([record({}), Buffer.from([0, 0])], { count: 1 }),
      "2 bytes left after the batch's 1 records",
      0n,
    );
  });

  it('negative field lengths other than -1 (null), negative header counts, bad header keys', () => {
    const fields = (...parts: Buffer[]) => record({ body: Buffer.concat(parts) });
    corrupt(batch([fields(zigzag(0), zigzag(0), zigzag(-2))]), 'negative length -2', 0n);
    corrupt(batch([fields(zigzag(0), zigzag(0), field(null), zigzag(-3))]), 'negative length -3', 0n);
    corrupt(
      batch([fields(zigzag(0), zigzag(0), field(null), field(null), zigzag(-1))]),
      'record 0 has -1 headers',
      0n,
    );
    const header = (keySize: number) =>
      fields(
        zigzag(0),
        zigzag(0),
        field(null),
        field(null),
        zigzag(1),
        zigzag(keySize),
        Buffer.from('kk'),
        field(null),
      );
    corrupt(batch([header(-1)]), 'record 0 has a bad header key', 0n);
    corrupt(batch([header(4)]), 'record 0 has a bad header key', 0n);
    expect(readAll(batch([header(2)]))).toEqual(['0 1000 - - kk=null']);
    // A key that ends exactly at the record's end is inside it (then the header value is missing).
    const lastKey = fields(
      zigzag(0),
      zigzag(0),
      field(null),
      field(null),
      zigzag(1),
      zigzag(3),
      Buffer.from('abc'),
    );
    corrupt(batch([lastKey]), 'record runs past the end of its batch', 0n);
  });

  it('LogAppendTime gives every record the batch maxTimestamp, 0 included', () => {
    const data = batch([record({ timestampDelta: 5 })], { attributes: 0x08, maxTimestamp: 0 });
    expect(readAll(data)).toEqual(['0 0 - v']);
  });

  it('offsets beyond 2^53 are exact', () => {
    const base = 2n ** 60n;
    const data = batch([record({}), record({ offsetDelta: 1 })], { baseOffset: base });
    expect(readRecordBatches(data).next((offset) => offset)).toBe(base);
    const fetched = readRecordBatches(data);
    fetched.next((o) => o);
    expect(fetched.next((o) => o)).toBe(base + 1n);
  });

  it('a batch that ends at fromOffset is skipped whole; one that crosses it keeps its later records', () => {
    const data = batch([record({}), record({ offsetDelta: 1 })], { baseOffset: 20n });
    const skipped = readRecordBatches(data, { fromOffset: 22n });
    expect([skipped.count, skipped.bytes, skipped.nextOffset]).toEqual([0, 0, 22n]);
    expect(readAll(data, { fromOffset: 21n })).toEqual(['21 1000 - v']);
    expect(readAll(data, { fromOffset: 0n })).toHaveLength(2);
  });

  it('detach copies the records left out of the fetched bytes, so those bytes can go', () => {
    const data = Buffer.concat([
      batch([record({ value: Buffer.from('a') }), record({ offsetDelta: 1, value: Buffer.from('b') })], {
        baseOffset: 0n,
      }),
      batch([record({ value: Buffer.from('c') })], { baseOffset: 2n }),
    ]);
    const fetched = readRecordBatches(data);
    expect(fetched.next(asText)).toBe('0 1000 - a');
    const before = [fetched.count, fetched.bytes];
    fetched.detach();
    data.fill(0);
    expect([fetched.count, fetched.bytes]).toEqual(before);
    const rest: string[] = [];
    while (fetched.count > 0) rest.push(fetched.next(asText));
    expect(rest).toEqual(['1 1000 - b', '2 1000 - c']);
    // Nothing left to copy: a no-op.
    fetched.detach();
    expect(fetched.count).toBe(0);
  });

  it('detach after every record of the first batch was read copies only the second', () => {
    const data = Buffer.concat([
      batch([record({ value: Buffer.from('a') })], { baseOffset: 0n }),
      batch([record({ value: Buffer.from('b') })], { baseOffset: 1n }),
    ]);
    const fetched = readRecordBatches(data);
    fetched.next(asText);
    fetched.detach();
    data.fill(0);
    expect(fetched.next(asText)).toBe('1 1000 - b');
  });
});

describe('control records and aborted transactions', () => {
  it('reads the marker type from a control record key; anything else is UNKNOWN', () => {
    expect(readControlRecordType(null)).toBe('UNKNOWN');
    expect(readControlRecordType(Buffer.from([0, 0, 0]))).toBe('UNKNOWN');
    expect(readControlRecordType(Buffer.from([0, 0, 0, 0]))).toBe('ABORT');
    expect(readControlRecordType(Buffer.from([0, 0, 0, 1]))).toBe('COMMIT');
    expect(readControlRecordType(Buffer.from([0, 0, 0, 2]))).toBe('UNKNOWN');
  });

  it('writes a marker batch as a broker does: no sequence, transactional and control', () => {
    const marker = encodeControlBatch({ type: 'COMMIT', producerId: 7n, producerEpoch: 1, timestamp: 5 });
    expect(marker.readInt32BE(L.BASE_SEQUENCE)).toBe(-1);
    expect(marker.readInt16BE(L.ATTRIBUTES) & (L.TRANSACTIONAL_FLAG | L.CONTROL_FLAG)).toBe(
      L.TRANSACTIONAL_FLAG | L.CONTROL_FLAG,
    );
  });

  it('a non-transactional batch (no producer id) is kept under read_committed', () => {
    const plain = batch([record({ value: Buffer.from('p') })], { baseOffset: 0n });
    expect(
      readAll(plain, {
        isolationLevel: 'read_committed',
        abortedTransactions: [{ producerId: -1n, firstOffset: 0n }],
      }),
    ).toEqual(['0 1000 - p']);
  });

  it('a control batch is never a record, and an empty one ends nothing', () => {
    const empty = batch([], { attributes: 0x30, producerId: 3n, baseOffset: 4n });
    const data = Buffer.concat([
      empty,
      batch([record({})], { attributes: 0x10, producerId: 3n, baseOffset: 5n }),
    ]);
    expect(
      readAll(data, {
        isolationLevel: 'read_committed',
        abortedTransactions: [{ producerId: 3n, firstOffset: 5n }],
      }),
    ).toEqual([]);
    const marker = batch([record({ key: Buffer.from([0, 0, 0, 1]) })], { attributes: 0x30, producerId: 3n });
    expect(readAll(marker)).toEqual([]);
  });

  it('AbortedTransactions takes the list in any order, and a marker ends its producer abort', () => {
    const aborted = new AbortedTransactions([
      { producerId: 2n, firstOffset: 20n },
      { producerId: 1n, firstOffset: 10n },
    ]);
    expect(aborted.isAborted(1n, 9n, true, false)).toBe(false);
    expect(aborted.isAborted(1n, 10n, true, false)).toBe(true);
    expect(aborted.isAborted(1n, 11n, false, false)).toBe(false);
    expect(aborted.isAborted(1n, 12n, true, true)).toBe(false);
    expect(aborted.isAborted(1n, 13n, true, false)).toBe(false);
    expect(aborted.isAborted(2n, 19n, true, false)).toBe(false);
    expect(aborted.isAborted(2n, 25n, true, false)).toBe(true);
  });
});
