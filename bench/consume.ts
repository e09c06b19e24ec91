/**
 * Consumer throughput, CPU and memory: kafka-rx against KafkaJS, @platformatic/kafka, kcat and the
 * Java client, all reading the same topic of Apache Kafka (default) or librdkafka's mock cluster.
 * Run:
 *
 *   node --require ./bench/register.js bench/consume.ts [--broker kafka|mock] [--records 1000000]
 *        [--partitions 32] [--value-bytes 100] [--compression none|gzip|snappy|lz4|zstd] [--brokers 3]
 *        [--runs 3] [--clients kafka-rx,kafkajs,platformatic,kcat,java] [--first-record-timeout-s 30]
 *        [--timeout-s S] [--node-options "--cpu-prof ..."] [--markdown bench/results/<name>.md]
 *        [--listen-channels]
 *
 * The topic is seeded once with `kcat -P` (keys `k<i>`, values of `--value-bytes` bytes, batches
 * compressed with `--compression`). Each client then runs in a child process of its own
 * (bench/consume-runners/, bench/java/), one after the other, with a fresh group reading from the
 * beginning, and reports the time from its first record to its last, its CPU time and its peak
 * RSS; with several runs, the table shows each client's run of median time. On the mock,
 * @platformatic/kafka goes through a bridging proxy (consume-runners/platformatic-bridge.ts)
 * hosted in this process. The runners and src/ are compiled to plain JavaScript first
 * (.cache/bench-consume/), so no compiler sits in a runner's memory.
 *
 * `--listen-channels` adds a run of kafka-rx with a no-op listener on every diagnostics channel
 * (consume-runners/kafka-rx-listened.ts) beside the plain one: the cost of being observed, and
 * with the plain run, that channels nobody listens to cost nothing measurable.
 *
 * Needs the Kafka jars (`bash test/broker/kafka/fetch-jars.sh`) or the mock broker binaries
 * (`bash test/broker/build.sh`).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { librdkafkaEnv } from '../test/broker/builds';
import { runChild } from './run-child';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { brokerKind, startTarget, type BrokerKind, type BrokerTarget } from './broker-target';
import { compileRunners } from './compile-runners';
import { bridgePlatformatic } from './consume-runners/platformatic-bridge';
import type { RunnerOutput, RunResult } from './consume-runners/runner';
import { javaRunner } from './java-runners';
import { markdownTable, ratio, writeMarkdown } from './report';

const TOPIC = 'bench-consume';
/** A mock partition keeps at most 5 MiB of record batches (librdkafka's rdkafka_mock.c), dropping the oldest. */
const MOCK_PARTITION_BYTES = 5 * 1024 * 1024;
const CODECS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;
type Codec = (typeof CODECS)[number];

interface Client {
  readonly name: string;
  readonly runner: string;
  /** Reaches the mock (not Kafka) through bench/consume-runners/platformatic-bridge.ts. */
  readonly bridgedOnMock?: boolean;
  /** A JVM runner (bench/java/), not a Node one. */
  readonly java?: boolean;
}

const CLIENTS: readonly Client[] = [
  { name: 'kafka-rx', runner: 'kafka-rx' },
  // Only with --listen-channels (or named in --clients).
  { name: 'kafka-rx, channels listened', runner: 'kafka-rx-listened' },
  { name: 'KafkaJS', runner: 'kafkajs' },
  { name: '@platformatic/kafka', runner: 'platformatic', bridgedOnMock: true },
  { name: 'kcat -C', runner: 'kcat' },
  { name: 'Java KafkaConsumer', runner: 'java', java: true },
];

/** The clients run by default: the Java client only on Kafka (it is the peer on the real broker). */
function defaultClients(broker: BrokerKind): string {
  return CLIENTS.filter((c) => (broker === 'kafka' || !c.java) && c.runner !== 'kafka-rx-listened')
    .map((c) => c.runner)
    .join(',');
}

function clientName(client: Client, broker: BrokerKind): string {
  return client.bridgedOnMock && broker === 'mock' ? `${client.name} (via bridge)` : client.name;
}

interface Options {
  broker: BrokerKind;
  compression: Codec;
  markdown: string | undefined;
  records: number;
  partitions: number;
  valueBytes: number;
  brokers: number;
  runs: number;
  clients: Client[];
  timeoutMs: number;
  firstRecordTimeoutMs: number;
  /** Extra node flags for every runner (profiling: `--cpu-prof --cpu-prof-dir=...`). */
  nodeOptions: string[];
}

function options(): Options {
  const { values } = parseArgs({
    options: {
      broker: { type: 'string', default: 'kafka' },
      compression: { type: 'string', default: 'none' },
      markdown: { type: 'string' },
      records: { type: 'string', default: '1000000' },
      partitions: { type: 'string', default: '32' },
      'value-bytes': { type: 'string', default: '100' },
      brokers: { type: 'string', default: '3' },
      runs: { type: 'string', default: '3' },
      clients: { type: 'string' },
      'timeout-s': { type: 'string' },
      'first-record-timeout-s': { type: 'string', default: '30' },
      'node-options': { type: 'string', default: '' },
      'listen-channels': { type: 'boolean', default: false },
    },
  });
  const positive = (name: string, text: string | undefined): number => {
    const n = Number(text);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer, got ${text}`);
    return n;
  };
  const records = positive('records', values.records);
  const partitions = positive('partitions', values.partitions);
  const valueBytes = positive('value-bytes', values['value-bytes']);
  const broker = brokerKind(values.broker);
  const compression = CODECS.find((c) => c === values.compression);
  if (!compression) throw new Error(`--compression must be one of ${CODECS.join(', ')}`);
  const clients = (values.clients ?? defaultClients(broker)).split(',').map((name) => {
    const client = CLIENTS.find((c) => c.runner === name.trim());
    if (!client)
      throw new Error(`--clients: unknown client ${name}; known: ${CLIENTS.map((c) => c.runner).join(', ')}`);
    return client;
  });
  if (values['listen-channels'] && !clients.some((c) => c.runner === 'kafka-rx-listened')) {
    const plain = clients.findIndex((c) => c.runner === 'kafka-rx');
    clients.splice(
      plain + 1,
      0,
      CLIENTS.find((c) => c.runner === 'kafka-rx-listened')!,
    );
  }
  // Keys add ~7 bytes, a record's framing ~10; 20% for partitions the key hash fills more than others.
  const perPartition = (records / partitions) * 1.2 * (valueBytes + 17);
  if (broker === 'mock' && perPartition > MOCK_PARTITION_BYTES * 0.9) {
    throw new Error(
      `about ${(perPartition / 2 ** 20).toFixed(1)} MiB per partition: a mock partition keeps only 5 MiB; use more --partitions`,
    );
  }
  return {
    broker,
    compression,
    markdown: values.markdown,
    records,
    partitions,
    valueBytes,
    brokers: positive('brokers', values.brokers),
    runs: positive('runs', values.runs),
    clients,
    firstRecordTimeoutMs: 1000 * positive('first-record-timeout-s', values['first-record-timeout-s']),
    nodeOptions: (values['node-options'] ?? '').split(' ').filter((flag) => flag !== ''),
    timeoutMs:
      1000 *
      (values['timeout-s']
        ? positive('timeout-s', values['timeout-s'])
        : // 1 s per MB of records (keys, values, framing): 1 KiB values take longer per record than 100 B.
          Math.max(60, Math.ceil((records * (valueBytes + 20)) / 1e6))),
  };
}

function recordLines(records: number, valueBytes: number): string {
  const filler = 'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(Math.ceil(valueBytes / 36) + 1);
  const lines: string[] = [];
  for (let i = 0; i < records; i++) {
    const head = `value-${i}-`;
    lines.push(`k${i}:${(head + filler).slice(0, valueBytes)}\n`);
  }
  return lines.join('');
}

/** Produces the records with kcat and checks, with `kcat -Q`, that every partition kept all of them. */
function seed(cluster: BrokerTarget, o: Options): { seconds: number; payloadBytes: number } {
  const dir = mkdtempSync(join(tmpdir(), 'bench-consume-'));
  const file = join(dir, 'records');
  const text = recordLines(o.records, o.valueBytes);
  // Payload bytes: key and value, without the ':' separators and newlines.
  const payloadBytes = Buffer.byteLength(text) - 2 * o.records;
  writeFileSync(file, text);
  const env = librdkafkaEnv('new');
  try {
    const start = performance.now();
    const produced = spawnSync(
      'kcat',
      ['-P', '-b', cluster.bootstrap, '-t', TOPIC, '-K:', '-z', o.compression, '-l', file],
      {
        env,
        encoding: 'utf8',
        timeout: 120000,
      },
    );
    const seconds = (performance.now() - start) / 1000;
    if (produced.status !== 0) throw new Error(`kcat -P exited with ${produced.status}: ${produced.stderr}`);

    const query = (time: number): number[] => {
      const args = ['-Q', '-b', cluster.bootstrap];
      for (let p = 0; p < o.partitions; p++) args.push('-t', `${TOPIC}:${p}:${time}`);
      const run = spawnSync('kcat', args, { env, encoding: 'utf8', timeout: 30000 });
      const offsets = new Array<number>(o.partitions).fill(NaN);
      for (const m of run.stdout.matchAll(/^\S+ \[(\d+)\] offset (-?\d+)$/gm))
        offsets[Number(m[1])] = Number(m[2]);
      if (run.status !== 0 || offsets.some(Number.isNaN))
        throw new Error(`kcat -Q failed: ${run.stdout}${run.stderr}`);
      return offsets;
    };
    const low = query(-2);
    const high = query(-1);
    const kept = high.reduce((sum, h, p) => sum + h - low[p], 0);
    if (kept !== o.records || low.some((l) => l !== 0)) {
      throw new Error(
        `the topic holds ${kept} records from offsets ${low.join(',')}; expected ${o.records} from 0`,
      );
    }
    return { seconds, payloadBytes };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs one client's runner to completion; resolves with its JSON line or an error. */
async function runClient(
  client: Client,
  cluster: BrokerTarget,
  o: Options,
  run: number,
): Promise<RunnerOutput> {
  const group = `bench-${client.runner}-${process.pid}-${run}`;
  const mock = cluster.mock;
  if (!client.bridgedOnMock || !mock) return runRunner(client, cluster.bootstrap, group, o);
  // The bridge answers FindCoordinator with broker 1.
  await mock.setCoordinator(group, 1);
  const bridge = await bridgePlatformatic(mock.brokers);
  // The bridge runs in this process, which is otherwise idle: its CPU time is what it cost.
  const cpu = process.cpuUsage();
  try {
    return await runRunner(client, bridge.bootstrap, group, o);
  } finally {
    const { user, system } = process.cpuUsage(cpu);
    console.log(`  (the bridge used ${((user + system) / 1e6).toFixed(2)} s of CPU in this run)`);
    await bridge.close();
  }
}

/** Where the runners were compiled to. */
let out = '';
let javaConsumer: ((args: string[]) => string[]) | undefined;

function runRunner(client: Client, bootstrap: string, group: string, o: Options): Promise<RunnerOutput> {
  const runnerArgs = [
    '--bootstrap',
    bootstrap,
    '--topic',
    TOPIC,
    '--records',
    String(o.records),
    '--group',
    group,
    '--first-record-timeout-ms',
    String(o.firstRecordTimeoutMs),
  ];
  const [command, args] = client.java
    ? ['java', (javaConsumer ??= javaRunner('ConsumeRunner'))(runnerArgs)]
    : [
        process.execPath,
        [...o.nodeOptions, join(out, 'bench', 'consume-runners', `${client.runner}.js`), ...runnerArgs],
      ];
  return runChild<RunnerOutput>(command, args, o.timeoutMs);
}

interface Row {
  client: Client;
  result: RunResult | null;
  error: string | null;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * The run of median time (any run, when there is one) with the median of the runs' peak RSS in
 * place of its own (peak RSS varies from run to run independently of time), or the first error.
 */
function summarize(client: Client, outputs: RunnerOutput[], expected: number): Row {
  const results: RunResult[] = [];
  for (const out of outputs) {
    if ('error' in out) return { client, result: null, error: out.error };
    if (out.records !== expected)
      return { client, result: null, error: `saw ${out.records} of ${expected} records` };
    results.push(out);
  }
  const seconds = (r: RunResult) => r.lastRecordAt - r.firstRecordAt;
  const mid = median(results.map(seconds));
  const result = results.reduce((best, r) =>
    Math.abs(seconds(r) - mid) < Math.abs(seconds(best) - mid) ? r : best,
  );
  return {
    client,
    result: { ...result, maxRssKb: median(results.map((r) => r.maxRssKb)) },
    error: null,
  };
}

function table(rows: Row[], broker: BrokerKind): string {
  const rate = (r: RunResult) => r.records / ((r.lastRecordAt - r.firstRecordAt) / 1000);
  const ours = rows.find((row) => row.client.runner === 'kafka-rx')?.result ?? null;
  const header = [
    'client',
    'time (s)',
    'records/s',
    'MB/s',
    'CPU (s)',
    'peak RSS (MB)',
    'first record after (s)',
    'kafka-rx records/s ÷ this',
    'kafka-rx CPU ÷ this',
    'kafka-rx RSS ÷ this',
  ];
  const lines: string[][] = [];
  for (const { client, result, error } of rows) {
    const name = clientName(client, broker);
    if (!result) {
      const what = client.runner === 'kafka-rx' ? 'not available' : 'failed';
      lines.push([name, `${what} (${error})`, '', '', '', '', '', '', '', '']);
      continue;
    }
    const seconds = (result.lastRecordAt - result.firstRecordAt) / 1000;
    const self = client.runner === 'kafka-rx';
    lines.push([
      name,
      seconds.toFixed(2),
      Math.round(rate(result)).toLocaleString('en-US'),
      (result.bytes / 1e6 / seconds).toFixed(1),
      result.cpuSeconds.toFixed(2),
      (result.maxRssKb / 1024).toFixed(0),
      ((result.firstRecordAt - result.startedAt) / 1000).toFixed(2),
      ratio(ours ? rate(ours) : undefined, rate(result), self),
      ratio(ours?.cpuSeconds, result.cpuSeconds, self),
      ratio(ours?.maxRssKb, result.maxRssKb, self),
    ]);
  }
  return markdownTable(header, lines);
}

async function main(): Promise<void> {
  const o = options();
  out = compileRunners('bench-consume', 'consume-runners');
  const cluster = await startTarget(o.broker, o.brokers);
  try {
    await cluster.createTopic(TOPIC, o.partitions);
    const { seconds, payloadBytes } = seed(cluster, o);
    const workload =
      `${o.records.toLocaleString('en-US')} records (${(payloadBytes / 1e6).toFixed(1)} MB of keys and values, ` +
      `${o.valueBytes} B values, compression ${o.compression}) over ${o.partitions} partitions on ${cluster.description}`;
    console.log(`Seeded ${workload} with kcat in ${seconds.toFixed(1)} s.`);
    const outputs = new Map<Client, RunnerOutput[]>(o.clients.map((c) => [c, []]));
    for (let run = 1; run <= o.runs; run++) {
      for (const client of o.clients) {
        // A client that failed once is not run again: its row shows that failure.
        if (outputs.get(client)!.some((out) => 'error' in out)) continue;
        const out = await runClient(client, cluster, o, run);
        outputs.get(client)!.push(out);
        const note =
          'error' in out
            ? `error: ${out.error}`
            : `${((out.lastRecordAt - out.firstRecordAt) / 1000).toFixed(2)} s, ` +
              `${out.cpuSeconds.toFixed(2)} s CPU, ${(out.maxRssKb / 1024).toFixed(0)} MB` +
              (out.duplicates ? `, ${out.duplicates} records delivered twice` : '');
        console.log(`  run ${run}/${o.runs} ${clientName(client, o.broker)}: ${note}`);
      }
    }
    const rows = o.clients.map((c) => summarize(c, outputs.get(c)!, o.records));
    const medianOf = o.runs > 1 ? `, median of ${o.runs} runs` : '';
    const notes =
      `${workload}; node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}). ` +
      `Time from first record to last${medianOf}; MB = 10^6 bytes of keys and values; CPU: user + system ` +
      `seconds of the client's whole process (the Java client's without its warm-up pass); peak RSS of the ` +
      `client's process${medianOf}.`;
    const text = table(rows, o.broker);
    console.log(`\n${notes}\n\n${text}`);
    if (o.markdown) {
      writeMarkdown(
        o.markdown,
        `Consume: ${o.broker === 'kafka' ? 'Apache Kafka' : 'mock cluster'}, ${o.valueBytes} B values, compression ${o.compression}`,
        notes,
        text,
      );
      console.log(`\nWrote ${o.markdown}`);
    }
  } finally {
    await cluster.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
