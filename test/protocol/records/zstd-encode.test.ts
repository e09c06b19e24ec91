import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decompress as fzstdDecompress } from 'fzstd';
import { compress } from '../../../src/protocol/records/compression';
import { zstdCompress, zstdCompressWasm } from '../../../src/protocol/records/compression/zstd';
import { decodeRecords } from '../../../src/protocol/records/record-batch-decoder';
import {
  encodeRecordBatch,
  type ProducerRecordInput,
} from '../../../src/protocol/records/record-batch-encoder';
import { consume } from '../../broker/kcat';
import { startMockCluster, type MockCluster } from '../../broker/mock-cluster';
import { rawRequest } from '../../broker/raw-request';
import { describeWith, itWith, outside, tool } from './outside-tools';
import * as L from '../../../src/protocol/records/record-batch-layout';

/** Deterministic bytes that do not compress (SHA-256 in counter mode). */
function noise(length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0, at = 0; at < length; i++, at += 32) {
    createHash('sha256').update(`noise-${i}`).digest().copy(out, at);
  }
  return out;
}

/** Records shaped like application events: JSON values, repeating keys, a header. */
function eventRecords(count: number): ProducerRecordInput[] {
  return Array.from({ length: count }, (_, i) => ({
    key: Buffer.from(`customer-${i % 97}`),
    value: Buffer.from(
      JSON.stringify({
        orderId: `ord-${100000 + i}`,
        amount: (i * 37) % 10000,
        note: noise(12).toString('hex'),
      }),
    ),
    headers: [['trace', Buffer.from(`t-${i}`)]],
    timestamp: 1_700_000_000_000 + i * 13,
  }));
}

/** The uncompressed records section of a batch: everything after the 61-byte header. */
function recordsSection(records: ProducerRecordInput[]): Buffer {
  return encodeRecordBatch(records, { compression: 'none' }).subarray(61);
}

const INPUTS: [string, Buffer][] = [
  ['empty', Buffer.alloc(0)],
  ['one byte', Buffer.from([0x2a])],
  ['a short text', Buffer.from('hello, zstd '.repeat(20))],
  ['1 MiB of records', recordsSection(eventRecords(9000)).subarray(0, 1 << 20)],
  ['300 KB of noise', noise(300_000)],
  // Past the module's initial 16 MiB heap: memory must grow.
  ['24 MiB of records and noise', Buffer.concat([recordsSection(eventRecords(40000)), noise(20 << 20)])],
];

describe('zstd encoding (libzstd as WebAssembly)', () => {
  describeWith(outside.zstd)('read back by the Debian zstd CLI', () => {
    it.each(INPUTS)('%s', (_, input) => {
      const frame = zstdCompressWasm(input);
      expect(frame.readUInt32LE(0)).toBe(0xfd2fb528);
      expect(outside.zstd.decompress(frame).equals(input)).toBe(true);
    });

    it('records the content size in the frame header, as librdkafka reads it to size its buffer', () => {
      const input = recordsSection(eventRecords(500));
      const dir = mkdtempSync(join(tmpdir(), 'kafka-rx-zstd-'));
      let listing: string;
      try {
        // `zstd --list` reads files only.
        writeFileSync(join(dir, 'batch.zst'), zstdCompressWasm(input));
        listing = execFileSync('zstd', ['-lv', join(dir, 'batch.zst')]).toString();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      expect(listing).toMatch(new RegExp(`Decompressed Size: .*\\(${input.length} B\\)`));
    });

    it('compresses record-like data about as well as the CLI at the same level', () => {
      const input = recordsSection(eventRecords(9000));
      const ours = zstdCompressWasm(input).length;
      const cli = execFileSync('zstd', ['-3', '-q', '-c', '--no-check'], { input }).length;
      expect(ours).toBeLessThan(input.length / 2);
      expect(Math.abs(ours - cli) / cli).toBeLessThan(0.1);
    });
  });

  it.each(INPUTS.slice(0, 5))('%s: decodes with fzstd', (_, input) => {
    expect(Buffer.from(fzstdDecompress(zstdCompressWasm(input))).equals(input)).toBe(true);
  });

  it('keeps working across many calls of varied sizes (heap reuse)', () => {
    for (let i = 0; i < 200; i++) {
      const input = noise((i * 7919) % 70_000);
      expect(Buffer.from(fzstdDecompress(zstdCompressWasm(input))).equals(input)).toBe(true);
    }
  });

  it("compress('zstd') works on this runtime, with node:zlib or WebAssembly", () => {
    const input = recordsSection(eventRecords(100));
    const frame = compress('zstd', input);
    expect(frame.equals(zstdCompress(input))).toBe(true);
    expect(Buffer.from(fzstdDecompress(frame)).equals(input)).toBe(true);
  });

  it("a batch encoded with compression 'zstd' decodes with decodeRecords", () => {
    const records = eventRecords(300);
    const batch = encodeRecordBatch(records, { compression: 'zstd' });
    // Attributes (int16 at 21): codec id 4 in bits 0..2.
    expect(batch.readInt16BE(L.ATTRIBUTES) & L.COMPRESSION_CODEC_MASK).toBe(4);
    const decoded = decodeRecords(batch).records;
    expect(decoded.map((r) => [r.key?.toString(), r.value?.toString(), r.timestamp])).toEqual(
      records.map((r) => [r.key?.toString(), r.value?.toString(), r.timestamp]),
    );
    expect(decoded[299].headers).toEqual([['trace', Buffer.from('t-299')]]);
  });

  itWith(outside.zstd)(
    "a batch encoded with compression 'zstd' has a records section the CLI decodes",
    () => {
      const records = eventRecords(300);
      const batch = encodeRecordBatch(records, { compression: 'zstd' });
      expect(outside.zstd.decompress(batch.subarray(61)).equals(recordsSection(records))).toBe(true);
    },
  );
});

/** Produce v3 (the first with record batches), hand-written: one topic, one partition, acks=-1. */
function produceV3Body(topic: string, partition: number, batch: Buffer): Buffer {
  const name = Buffer.from(topic);
  const body = Buffer.alloc(2 + 2 + 4 + 4 + 2 + name.length + 4 + 4 + 4);
  let at = body.writeInt16BE(-1, 0); // transactional_id: null
  at = body.writeInt16BE(-1, at); // acks
  at = body.writeInt32BE(5000, at); // timeout_ms
  at = body.writeInt32BE(1, at); // one topic
  at = body.writeInt16BE(name.length, at);
  at += name.copy(body, at);
  at = body.writeInt32BE(1, at); // one partition
  at = body.writeInt32BE(partition, at);
  body.writeInt32BE(batch.length, at);
  return Buffer.concat([body, batch]);
}

/** The one partition's error code in a Produce v3 response. */
function produceV3ErrorCode(response: Buffer): number {
  const nameLength = response.readInt16BE(4);
  return response.readInt16BE(4 + 2 + nameLength + 4 + 4);
}

describeWith(tool('kcat', ['-V']))('a zstd batch read back by kcat through the mock broker', () => {
  let cluster: MockCluster;
  beforeAll(async () => {
    cluster = await startMockCluster({ build: 'new', topics: [{ name: 'zstd-encode', partitions: 1 }] });
  });
  afterAll(() => cluster?.stop());

  it('keeps keys, values and headers', async () => {
    const records = eventRecords(50);
    const batch = encodeRecordBatch(records, { compression: 'zstd' });
    const response = await rawRequest(cluster.brokers[0], 0, 3, produceV3Body('zstd-encode', 0, batch));
    expect(produceV3ErrorCode(response)).toBe(0);

    const read = await consume({ bootstrap: cluster.bootstrap, topic: 'zstd-encode' });
    expect(read.map((r) => [r.key, r.value, r.timestamp, r.headers])).toEqual(
      records.map((r) => [
        r.key!.toString(),
        r.value!.toString(),
        r.timestamp,
        [['trace', r.headers![0][1]!.toString()]],
      ]),
    );
  });
});
