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
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { librdkafkaEnv } from '../test/broker/builds';
import type { BrokerTarget } from './broker-target';
import { clientsOf, rowName, type Client } from './clients';
import type { RunResult } from './consume-runners/runner';
import { bridgePlatformatic } from './consume-runners/platformatic-bridge';
import { runBenchmark, runEach, runnerFlags, type Runners } from './harness';
import { benchOptions, positiveInteger, throughput, throughputConfig, type CommonOptions } from './options';
import type { Codec } from './runner/codec';
import { brokerTitle, machine, printTable } from './report';
import { throughputTable } from './throughput-table';

const TOPIC = 'bench-consume';
/** A mock partition keeps at most 5 MiB of record batches (librdkafka's rdkafka_mock.c), dropping the oldest. */
const MOCK_PARTITION_BYTES = 5 * 1024 * 1024;

interface Options extends CommonOptions {
  compression: Codec;
  records: number;
  timeoutMs: number;
  firstRecordTimeoutMs: number;
}

function options(): Options {
  const { common, values } = benchOptions(
    'consume',
    { partitions: 32, runs: 3 },
    {
      ...throughputConfig(1000000),
      'first-record-timeout-s': { type: 'string', default: '30' },
      'listen-channels': { type: 'boolean', default: false },
    },
  );
  const { clients, broker, partitions, valueBytes } = common;
  // 1 s per MB of records (keys, values, framing): 1 KiB values take longer per record than 100 B.
  const { records, compression, timeoutMs } = throughput(values, (records) =>
    Math.max(60, Math.ceil((records * (valueBytes + 20)) / 1e6)),
  );
  if (values['listen-channels'] && !clients.some((c) => c.runner === 'kafka-rx-listened')) {
    const plain = clients.findIndex((c) => c.runner === 'kafka-rx');
    clients.splice(
      plain + 1,
      0,
      clientsOf('consume').find((c) => c.runner === 'kafka-rx-listened')!,
    );
  }
  // Keys add ~7 bytes, a record's framing ~10; 20% for partitions the key hash fills more than others.
  // Compressed batches take less: for those the seed's check of every partition is the judge.
  const perPartition = (records / partitions) * 1.2 * (valueBytes + 17);
  if (broker === 'mock' && compression === 'none' && perPartition > MOCK_PARTITION_BYTES * 0.9) {
    throw new Error(
      `about ${(perPartition / 2 ** 20).toFixed(1)} MiB per partition: a mock partition keeps only 5 MiB; use more --partitions`,
    );
  }
  return {
    ...common,
    compression,
    records,
    firstRecordTimeoutMs: 1000 * positiveInteger('first-record-timeout-s', values['first-record-timeout-s']),
    timeoutMs,
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
async function runClient(runners: Runners, client: Client, cluster: BrokerTarget, o: Options, run: number) {
  const group = `bench-${client.runner}-${process.pid}-${run}`;
  const runOn = (bootstrap: string) =>
    runners.run<RunResult>(
      client,
      runnerFlags({
        bootstrap,
        topic: TOPIC,
        records: o.records,
        group,
        'first-record-timeout-ms': o.firstRecordTimeoutMs,
      }),
      o.timeoutMs,
    );
  const mock = cluster.mock;
  if (!client.bridgedOnMock || !mock) return runOn(cluster.bootstrap);
  // The bridge answers FindCoordinator with broker 1.
  await mock.setCoordinator(group, 1);
  const bridge = await bridgePlatformatic(mock.brokers);
  // The bridge runs in this process, which is otherwise idle: its CPU time is what it cost.
  const cpu = process.cpuUsage();
  try {
    return await runOn(bridge.bootstrap);
  } finally {
    const { user, system } = process.cpuUsage(cpu);
    console.log(`  (the bridge used ${((user + system) / 1e6).toFixed(2)} s of CPU in this run)`);
    await bridge.close();
  }
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
function summarize(client: Client, results: RunResult[] | { error: string }, expected: number): Row {
  if ('error' in results) return { client, result: null, error: results.error };
  const short = results.find((r) => r.records !== expected);
  if (short) return { client, result: null, error: `saw ${short.records} of ${expected} records` };
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

function table(rows: Row[], broker: Options['broker']): string {
  return throughputTable(
    rows.map(({ client, result, error }) => ({
      name: rowName(client, broker),
      self: client.runner === 'kafka-rx',
      error,
      result: result && {
        ...result,
        seconds: (result.lastRecordAt - result.firstRecordAt) / 1000,
      },
      extra: result ? [((result.firstRecordAt - result.startedAt) / 1000).toFixed(2)] : [],
    })),
    ['first record after (s)'],
  );
}

runBenchmark('consume', options, async (o, cluster, runners) => {
  await cluster.createTopic(TOPIC, o.partitions);
  const { seconds, payloadBytes } = seed(cluster, o);
  const workload =
    `${o.records.toLocaleString('en-US')} records (${(payloadBytes / 1e6).toFixed(1)} MB of keys and values, ` +
    `${o.valueBytes} B values, compression ${o.compression}) over ${o.partitions} partitions on ${cluster.description}`;
  console.log(`Seeded ${workload} with kcat in ${seconds.toFixed(1)} s.`);
  const outputs = await runEach<RunResult>(
    o,
    (client, run) => runClient(runners, client, cluster, o, run),
    (r) =>
      `${((r.lastRecordAt - r.firstRecordAt) / 1000).toFixed(2)} s, ` +
      `${r.cpuSeconds.toFixed(2)} s CPU, ${(r.maxRssKb / 1024).toFixed(0)} MB` +
      (r.duplicates ? `, ${r.duplicates} records delivered twice` : ''),
    (client) => rowName(client, o.broker),
  );
  const rows = o.clients.map((c) => summarize(c, outputs.get(c)!, o.records));
  const medianOf = o.runs > 1 ? `, median of ${o.runs} runs` : '';
  const notes =
    `${workload}; ${machine()}. ` +
    `Time from first record to last${medianOf}; MB = 10^6 bytes of keys and values; CPU: user + system ` +
    `seconds of the client's whole process (the Java client's without its warm-up pass); peak RSS of the ` +
    `client's process${medianOf}.`;
  printTable(
    o.markdown,
    `Consume: ${brokerTitle(o.broker)}, ${o.valueBytes} B values, compression ${o.compression}`,
    notes,
    table(rows, o.broker),
  );
});
