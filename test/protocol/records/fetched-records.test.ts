import {
  CorruptRecordError,
  crc32c,
  readRecordBatches,
  type RecordFactory,
} from '../../../src/protocol/records';
import { kafkaJsEncodeBatch, type KafkaJsRecord } from './kafkajs-reference';
import * as L from '../../../src/protocol/records/record-batch-layout';

const T0 = 1_700_000_000_000;

const records: KafkaJsRecord[] = [
  { key: Buffer.from('k0'), value: Buffer.from('v0'), timestamp: T0 },
  { key: null, value: Buffer.from('value one'), timestamp: T0 + 5, headers: { h: Buffer.from('x') } },
  { key: Buffer.from('k2'), value: null, timestamp: T0 + 9 },
];

const asText: RecordFactory<string> = (offset, timestamp, key, value, headers) =>
  [
    offset,
    timestamp - T0,
    key?.toString() ?? '-',
    value?.toString() ?? '-',
    headers.map(([k, v]) => `${k}=${v?.toString()}`).join(','),
  ].join(' ');

/** Bytes of each record as KafkaJS laid it out: the length varint plus what it counts. */
function recordSizes(batch: Buffer): number[] {
  const sizes: number[] = [];
  let pos = 61;
  while (pos < batch.length) {
    const zigzag = batch[pos]; // one-byte varints: every record here is under 64 bytes
    const size = (zigzag >>> 1) ^ -(zigzag & 1);
    sizes.push(1 + size);
    pos += 1 + size;
  }
  return sizes;
}

describe('readRecordBatches: records read one at a time', () => {
  it('counts the records and their bytes up front, and reads them in order on demand', async () => {
    const data = await kafkaJsEncodeBatch(records, { baseOffset: 40n });
    const sizes = recordSizes(data);
    const fetched = readRecordBatches(data);
    expect(fetched.count).toBe(3);
    expect(fetched.bytes).toBe(sizes[0] + sizes[1] + sizes[2]);
    expect(fetched.nextOffset).toBe(43n);
    expect(fetched.next(asText)).toBe('40 0 k0 v0 ');
    expect(fetched.count).toBe(2);
    expect(fetched.bytes).toBe(sizes[1] + sizes[2]);
    expect(fetched.next(asText)).toBe('41 5 - value one h=x');
    expect(fetched.next(asText)).toBe('42 9 k2 - ');
    expect(fetched.count).toBe(0);
    expect(fetched.bytes).toBe(0);
    expect(() => fetched.next(asText)).toThrow('no record left');
  });

  it('leaves out records below fromOffset from the count, the bytes and the reading', async () => {
    const data = await kafkaJsEncodeBatch(records, { baseOffset: 40n });
    const sizes = recordSizes(data);
    const fetched = readRecordBatches(data, { fromOffset: 42n });
    expect(fetched.count).toBe(1);
    expect(fetched.bytes).toBe(sizes[2]);
    expect(fetched.next(asText)).toBe('42 9 k2 - ');
  });

  it('throws on a malformed record before any record is read', async () => {
    const data = await kafkaJsEncodeBatch(records, { baseOffset: 0n });
    // The last record's value length grows by one byte past its record; CRC made right again.
    const last = 61 + recordSizes(data)[0] + recordSizes(data)[1];
    const valueLength = last + 1 + 1 + 1 + 1 + 1 + 2; // size, attributes, ts, offset, key len, "k2"
    expect(data[valueLength]).toBe(1); // null value: zigzag(-1)
    data[valueLength] = 2; // length 1, past the record's end
    data.writeUInt32BE(crc32c(data, L.ATTRIBUTES, data.length), L.CRC);
    expect(() => readRecordBatches(data)).toThrow(CorruptRecordError);
  });

  it('detach copies the records left out of the fetched bytes; those read before stay views', async () => {
    const data = await kafkaJsEncodeBatch(records, { baseOffset: 0n });
    const fetched = readRecordBatches(data);
    const views: Array<Buffer | null> = [];
    const keepValue: RecordFactory<null> = (_o, _t, _k, value) => {
      views.push(value);
      return null;
    };
    fetched.next(keepValue);
    fetched.detach();
    data.fill(0); // the response's bytes reused: the detached records must not see it
    expect(views[0]!.toString()).not.toBe('v0');
    expect(fetched.next(asText)).toBe('1 5 - value one h=x');
    expect(fetched.next(asText)).toBe('2 9 k2 - ');
  });
});
