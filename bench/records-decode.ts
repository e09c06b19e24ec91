/**
 * Record batch decoding speed: kafka-rx's decodeRecords against KafkaJS's decoder on the same
 * bytes (100-byte and 1 KiB values; uncompressed and lz4). Run:
 *
 *   node --require ./bench/register.js bench/records-decode.ts [--markdown bench/results/records-decode.md]
 *
 * Both decoders are timed the same way: one decode per turn of an async loop, so the decoded
 * records live until the next turn as a consumer's would (KafkaJS's decoder is async). The
 * "sync" line also gives kafka-rx in a plain loop, results dropped at once (less GC work).
 *
 * Speed lives here, not in tests. KafkaJS has no lz4 codec of its own; it is given kafka-rx's
 * LZ4 frame decoder, so the lz4 rows compare the batch and record parsing around the same codec.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { decodeRecords, decompress, encodeRecordBatch, type Compression } from '../src/protocol/records';
import { kafkaJsDecodeBatches, registerKafkaJsCodec } from '../test/protocol/records/kafkajs-reference';
import { machine, markdownTable, printTable } from './report';

const RECORDS_PER_BATCH = 100;
/** About 1 MiB of values per fetch, like a default max.partition.fetch.bytes. */
const FETCH_VALUE_BYTES = 1 << 20;
const MIN_SECONDS = 3;

interface Case {
  valueSize: number;
  compression: Compression;
}

function fetchRecords({ valueSize, compression }: Case): { data: Buffer; records: number } {
  const batches: Buffer[] = [];
  const total = Math.max(RECORDS_PER_BATCH, Math.floor(FETCH_VALUE_BYTES / valueSize));
  let offset = 0n;
  for (let produced = 0; produced < total; produced += RECORDS_PER_BATCH) {
    const records = Array.from({ length: RECORDS_PER_BATCH }, (_, i) => {
      const n = produced + i;
      // JSON-ish values: compressible like real payloads, but not constant.
      const text = `{"id":${n},"user":"u${n % 977}","event":"click","pad":"`;
      const value = Buffer.alloc(valueSize, 'x');
      value.write(text.slice(0, valueSize));
      return {
        key: Buffer.from(`key-${n % 1000}`),
        value,
        headers: [['source', Buffer.from('bench')]] as [string, Buffer][],
        timestamp: 1_700_000_000_000 + n,
      };
    });
    batches.push(encodeRecordBatch(records, { baseOffset: offset, compression }));
    offset += BigInt(RECORDS_PER_BATCH);
  }
  return { data: Buffer.concat(batches), records: Number(offset) };
}

async function time(run: () => unknown | Promise<unknown>): Promise<number> {
  for (let i = 0; i < 5; i++) await run(); // warm up
  let iterations = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < MIN_SECONDS * 1000) {
    await run();
    iterations++;
    elapsed = performance.now() - start;
  }
  return elapsed / 1000 / iterations;
}

function timeSync(run: () => unknown): number {
  for (let i = 0; i < 5; i++) run();
  let iterations = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < MIN_SECONDS * 1000) {
    run();
    iterations++;
    elapsed = performance.now() - start;
  }
  return elapsed / 1000 / iterations;
}

function rate(records: number, bytes: number, seconds: number): string {
  return `${(records / seconds / 1e6).toFixed(2)} M records/s, ${(bytes / seconds / 2 ** 20).toFixed(0)} MiB/s`;
}

/** Millions of records per second. */
const mega = (records: number, seconds: number) => (records / seconds / 1e6).toFixed(2);

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { markdown: { type: 'string' } } });
  registerKafkaJsCodec('lz4', { compress: (d) => d, decompress: (d) => decompress('lz4', d) });
  const cases: Case[] = [
    { valueSize: 100, compression: 'none' },
    { valueSize: 1024, compression: 'none' },
    { valueSize: 100, compression: 'lz4' },
    { valueSize: 1024, compression: 'lz4' },
  ];
  console.log(`node ${process.version}; ${RECORDS_PER_BATCH} records per batch, ~1 MiB of values per fetch`);
  const rows: string[][] = [];
  for (const c of cases) {
    const { data, records } = fetchRecords(c);
    const check = decodeRecords(data);
    const reference = await kafkaJsDecodeBatches(data);
    if (check.records.length !== records || reference.length !== records)
      throw new Error('decoders disagree on the record count');
    const ours = await time(() => decodeRecords(data));
    const theirs = await time(() => kafkaJsDecodeBatches(data));
    const sync = timeSync(() => decodeRecords(data));
    console.log(
      `${String(c.valueSize).padStart(5)} B values, ${c.compression.padEnd(4)} (${records} records, ${(data.length / 2 ** 20).toFixed(2)} MiB on the wire)\n` +
        `  kafka-rx: ${rate(records, data.length, ours)}\n` +
        `  KafkaJS:  ${rate(records, data.length, theirs)}\n` +
        `  ratio:    ${(theirs / ours).toFixed(1)}x\n` +
        `  kafka-rx, sync loop: ${rate(records, data.length, sync)}`,
    );
    rows.push([
      `${c.valueSize} B`,
      c.compression,
      records.toLocaleString('en-US'),
      (data.length / 2 ** 20).toFixed(2),
      mega(records, ours),
      mega(records, theirs),
      `${(theirs / ours).toFixed(1)}x`,
      mega(records, sync),
    ]);
  }
  const notes =
    `kafka-rx's decodeRecords against KafkaJS's decoder on the same bytes, ${RECORDS_PER_BATCH} records per batch, ` +
    `~1 MiB of values per fetch, in process; ${machine()}. One decode per turn of an async loop for both, at least ` +
    `${MIN_SECONDS} s each; the sync loop is kafka-rx in a plain loop. KafkaJS is given kafka-rx's LZ4 frame decoder.`;
  const table = markdownTable(
    [
      'values',
      'compression',
      'records',
      'MiB on the wire',
      'kafka-rx (M records/s)',
      'KafkaJS (M records/s)',
      'kafka-rx ÷ KafkaJS',
      'kafka-rx, sync loop (M records/s)',
    ],
    rows,
  );
  printTable(values.markdown, 'Record batch decoding, in process', notes, table);
}

void main();
