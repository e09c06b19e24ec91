/**
 * Codec speed, in process: each decoder (and encoder) on the same record batches, one after the
 * other, so old and new implementations can be compared. Run:
 *
 *   npm run bench:codecs [-- --seconds 1] [--markdown bench/results/codecs.md]
 *
 * The data is what the consume benchmark's topics hold: batches of 1,000 records of 1 KiB text
 * values (`value-<i>-` then a repeated filler, keys `k<i>`), about 1 MiB per batch before
 * compression. MB/s counts uncompressed bytes (10^6 bytes), for decoding and encoding alike;
 * CPU is user + system time of the process over the same loop (above the wall time when the
 * runtime's own threads, e.g. the garbage collector, work beside it).
 */
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { decompressBlock } from 'lz4js';
import { compress as snappyjsCompress, uncompress as snappyjsUncompress } from 'snappyjs';
import { decompress as fzstdDecompress } from 'fzstd';
import { compress, decompress, encodeRecordBatch } from '../src/protocol/records';
import { machine, markdownTable, printTable } from './report';

const RECORDS_PER_BATCH = 1000;
const BATCHES = 8;

function batchRecords(first: number): Buffer {
  const filler = 'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(30);
  const records = Array.from({ length: RECORDS_PER_BATCH }, (_, i) => ({
    key: Buffer.from(`k${first + i}`),
    value: Buffer.from(`value-${first + i}-${filler}`.slice(0, 1024)),
    timestamp: 1_700_000_000_000 + i,
  }));
  // The records section of an uncompressed batch: what a codec compresses.
  return encodeRecordBatch(records, { baseOffset: BigInt(first) }).subarray(61);
}

/** A plain reader for the frames lz4FrameCompress writes (independent blocks, no checksums), on lz4js's block decoder. */
function lz4jsFrameDecode(frame: Buffer): Buffer {
  let out = new Uint8Array(frame.length * 4);
  let length = 0;
  let pos = 7;
  for (;;) {
    const word = frame.readUInt32LE(pos);
    pos += 4;
    if (word === 0) break;
    const size = word & 0x7fffffff;
    if (out.length - length < 0x10000) {
      const grown = new Uint8Array(out.length * 2);
      grown.set(out.subarray(0, length));
      out = grown;
    }
    if (word & 0x80000000) {
      out.set(frame.subarray(pos, pos + size), length);
      length += size;
    } else {
      length = decompressBlock(frame.subarray(pos, pos + size), out, 0, size, length);
    }
    pos += size;
  }
  return Buffer.from(out.buffer, 0, length);
}

interface Row {
  codec: string;
  what: string;
  mbPerS: number;
  cpuPerWall: number;
  ratio: number;
}

function measure(
  seconds: number,
  inputs: Buffer[],
  run: (input: Buffer) => Buffer,
  plainBytes: number,
): [number, number] {
  for (let i = 0; i < 3; i++) for (const input of inputs) run(input); // warm up
  let rounds = 0;
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < seconds * 1000) {
    for (const input of inputs) run(input);
    rounds++;
    elapsed = performance.now() - start;
  }
  const cpu = process.cpuUsage(cpu0);
  const mb = (rounds * plainBytes) / 1e6;
  return [mb / (elapsed / 1000), (cpu.user + cpu.system) / 1000 / elapsed];
}

function main(): void {
  const { values } = parseArgs({
    options: { seconds: { type: 'string', default: '1' }, markdown: { type: 'string' } },
  });
  const seconds = Number(values.seconds);
  const plain = Array.from({ length: BATCHES }, (_, b) => batchRecords(b * RECORDS_PER_BATCH));
  const plainBytes = plain.reduce((n, b) => n + b.length, 0);
  const rows: Row[] = [];
  const add = (codec: string, what: string, inputs: Buffer[], run: (input: Buffer) => Buffer) => {
    // Every decoder must give back the records, or its speed means nothing.
    inputs.forEach((input, i) => {
      const out = run(input);
      if (what.startsWith('decode') && !out.equals(plain[i]))
        throw new Error(`${codec} ${what}: wrong output`);
    });
    const compressedBytes = codecInputs(codec).reduce((n, b) => n + b.length, 0);
    const [mbPerS, cpuPerWall] = measure(seconds, inputs, run, plainBytes);
    rows.push({ codec, what, mbPerS, cpuPerWall, ratio: plainBytes / compressedBytes });
  };
  const lz4Frames = plain.map((p) => compress('lz4', p));
  const snappyRaw = plain.map((p) => Buffer.from(snappyjsCompress(p)));
  const snappyXerial = plain.map((p) => compress('snappy', p));
  const zstdFrames = plain.map((p) => compress('zstd', p));
  const gzipStreams = plain.map((p) => compress('gzip', p));
  const codecInputs = (codec: string): Buffer[] =>
    (
      ({
        lz4: lz4Frames,
        'snappy raw': snappyRaw,
        'snappy xerial': snappyXerial,
        zstd: zstdFrames,
        gzip: gzipStreams,
      }) as Record<string, Buffer[]>
    )[codec] ?? plain;

  add('lz4', 'decode: lz4js blocks', lz4Frames, lz4jsFrameDecode);
  add('lz4', 'decode: kafka-rx', lz4Frames, (f) => decompress('lz4', f));
  add('lz4', 'encode: kafka-rx (lz4js blocks)', plain, (p) => compress('lz4', p));
  add('snappy raw', 'decode: snappyjs', snappyRaw, (f) => Buffer.from(snappyjsUncompress(f)));
  add('snappy raw', 'decode: kafka-rx', snappyRaw, (f) => decompress('snappy', f));
  add('snappy xerial', 'decode: kafka-rx', snappyXerial, (f) => decompress('snappy', f));
  add('snappy xerial', 'encode: kafka-rx', plain, (p) => compress('snappy', p));
  add('zstd', 'decode: fzstd', zstdFrames, (f) => Buffer.from(fzstdDecompress(f)));
  add('zstd', 'decode: kafka-rx', zstdFrames, (f) => decompress('zstd', f));
  add('zstd', 'encode: kafka-rx', plain, (p) => compress('zstd', p));
  add('gzip', 'decode: kafka-rx (node:zlib)', gzipStreams, (f) => decompress('gzip', f));
  add('gzip', 'encode: kafka-rx (node:zlib)', plain, (p) => compress('gzip', p));

  const notes =
    `${BATCHES} batches of ${RECORDS_PER_BATCH} records of 1 KiB text values, ${(plainBytes / 1e6).toFixed(2)} MB ` +
    `uncompressed, in process; ${machine()}; ${seconds} s per row. MB/s of uncompressed bytes (10^6), encoding ` +
    `and decoding alike; CPU / wall: user + system seconds of the process per second of the loop; ratio: ` +
    `uncompressed ÷ compressed size.`;
  // MB per CPU second holds better than MB/s on a shared machine, where the loop waits its turn.
  const table = markdownTable(
    ['codec', 'what', 'MB/s', 'CPU / wall', 'MB per CPU s', 'ratio'],
    rows.map((r) => [
      r.codec,
      r.what,
      r.mbPerS.toFixed(0),
      r.cpuPerWall.toFixed(2),
      (r.mbPerS / r.cpuPerWall).toFixed(0),
      r.ratio.toFixed(1),
    ]),
  );
  printTable(values.markdown, 'Codecs: encode and decode speed, in process', notes, table);
}

main();
