/**
 * Every throughput benchmark, one after the other, each writing its Markdown table under
 * `--out` (default bench/results/) and all of them together into `<out>/all.md`. Run:
 *
 *   npm run bench [-- --records 1000000 --runs 3 --out bench/results]
 *
 * In process, no broker: the codecs' encode and decode speed (bench/codecs.ts) and record batch
 * decoding against KafkaJS's (bench/records-decode.ts).
 * On Apache Kafka: consume 100 B values uncompressed (`--records`), consume 1 KiB values with
 * each of lz4, zstd, snappy and gzip (a fifth of `--records`), produce 100 B values (a fifth),
 * and the producers' latency at a steady 250 records/s (bench/latency.ts).
 * On librdkafka's mock cluster: the same consumes (100 B and each codec's 1 KiB) and produce.
 * A benchmark that fails is reported at the end; the others still run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

interface Bench {
  readonly name: string;
  readonly script: 'consume' | 'produce' | 'latency' | 'codecs' | 'records-decode';
  readonly args: string[];
}

/** The in-process benchmarks: a fixed amount of work each, so neither --records nor --runs applies. */
const IN_PROCESS: readonly Bench[] = [
  { name: 'codecs', script: 'codecs', args: [] },
  { name: 'records-decode', script: 'records-decode', args: [] },
];

/** Consume 100 B values uncompressed, then 1 KiB values in each codec (a fifth of the records). */
function consumes(broker: 'kafka' | 'mock', records: number, fifth: string): Bench[] {
  return [
    {
      name: `consume-${broker}-100b`,
      script: 'consume',
      args: ['--broker', broker, '--records', String(records)],
    },
    ...['lz4', 'zstd', 'snappy', 'gzip'].map((codec): Bench => ({
      name: `consume-${broker}-1kib-${codec}`,
      script: 'consume',
      args: ['--broker', broker, '--records', fifth, '--value-bytes', '1024', '--compression', codec],
    })),
  ];
}

function benches(records: number): Bench[] {
  const fifth = String(Math.max(1, Math.round(records / 5)));
  return [
    ...IN_PROCESS,
    ...consumes('kafka', records, fifth),
    { name: 'produce-kafka-100b', script: 'produce', args: ['--broker', 'kafka', '--records', fifth] },
    // A steady 250 records/s for 20 s per client: --records does not apply.
    { name: 'latency-kafka-250', script: 'latency', args: ['--broker', 'kafka', '--rate', '250'] },
    ...consumes('mock', records, fifth),
    { name: 'produce-mock-100b', script: 'produce', args: ['--broker', 'mock', '--records', fifth] },
  ];
}

function main(): void {
  const { values } = parseArgs({
    options: {
      records: { type: 'string', default: '1000000' },
      runs: { type: 'string', default: '3' },
      out: { type: 'string', default: join('bench', 'results') },
    },
  });
  const records = Number(values.records);
  const runs = Number(values.runs);
  if (!Number.isInteger(records) || records <= 0 || !Number.isInteger(runs) || runs <= 0)
    throw new Error(`--records and --runs must be positive integers`);
  const out = values.out!;
  mkdirSync(out, { recursive: true });
  const failed: string[] = [];
  const tables: string[] = [];
  for (const bench of benches(records)) {
    const file = join(out, `${bench.name}.md`);
    rmSync(file, { force: true });
    console.log(`\n== ${bench.name}`);
    const run = spawnSync(
      process.execPath,
      [
        '--require',
        join(__dirname, 'register.js'),
        join(__dirname, `${bench.script}.ts`),
        ...bench.args,
        ...(IN_PROCESS.includes(bench) ? [] : ['--runs', String(runs)]),
        '--markdown',
        file,
      ],
      { stdio: 'inherit' },
    );
    if (run.status !== 0 || !existsSync(file))
      failed.push(`${bench.name} (exit ${run.status ?? run.signal})`);
    else tables.push(readFileSync(file, 'utf8'));
  }
  writeFileSync(join(out, 'all.md'), tables.join('\n'));
  console.log(`\nWrote ${tables.length} tables to ${out}/ (all of them in ${join(out, 'all.md')}).`);
  if (failed.length > 0) {
    console.error(`Failed: ${failed.join(', ')}`);
    process.exitCode = 1;
  }
}

main();
