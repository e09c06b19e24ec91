/**
 * Producer latency at a steady, light load: kafka-rx against KafkaJS and the Java client, each
 * sending one record at a time at `--rate` records/s to a fresh topic, one after the other against
 * the same broker, every client with its defaults. Latency: from a record's send call to its
 * acknowledgement (the client's delivery report: the promise, the callback), with acks=all, the
 * default of all three. Run:
 *
 *   node --require ./bench/register.js bench/latency.ts [--broker kafka|mock] [--rate 250]
 *        [--seconds 20] [--warmup-s 3] [--value-bytes 100] [--partitions 8] [--brokers 3]
 *        [--runs 1] [--clients kafka-rx,kafkajs,java] [--markdown bench/results/<name>.md]
 *
 * Each client runs in a child process of its own (bench/latency-runners/, bench/java/LatencyRunner.java);
 * the records of its first `--warmup-s` seconds (connecting, metadata, the JVM's JIT) are sent
 * but not counted. With several runs, each client's run of median p99 is shown.
 */
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { brokerKind, startTarget, type BrokerKind, type BrokerTarget } from './broker-target';
import { compileRunners } from './compile-runners';
import { javaRunner } from './java-runners';
import type { LatencyOutput, LatencyResult } from './latency-runners/runner';
import { markdownTable, ratio, writeMarkdown } from './report';
import { runChild } from './run-child';

interface Client {
  readonly name: string;
  readonly runner: string;
  readonly java?: boolean;
}

const CLIENTS: readonly Client[] = [
  { name: 'kafka-rx', runner: 'kafka-rx' },
  { name: 'KafkaJS', runner: 'kafkajs' },
  { name: 'Java KafkaProducer', runner: 'java', java: true },
];

interface Options {
  broker: BrokerKind;
  rate: number;
  seconds: number;
  warmupSeconds: number;
  valueBytes: number;
  partitions: number;
  brokers: number;
  runs: number;
  clients: Client[];
  markdown: string | undefined;
}

function options(): Options {
  const { values } = parseArgs({
    options: {
      broker: { type: 'string', default: 'kafka' },
      rate: { type: 'string', default: '250' },
      seconds: { type: 'string', default: '20' },
      'warmup-s': { type: 'string', default: '3' },
      'value-bytes': { type: 'string', default: '100' },
      partitions: { type: 'string', default: '8' },
      brokers: { type: 'string', default: '3' },
      runs: { type: 'string', default: '1' },
      // bench/all.ts passes --records to every benchmark; a steady rate does not use it.
      records: { type: 'string' },
      clients: { type: 'string', default: 'kafka-rx,kafkajs,java' },
      markdown: { type: 'string' },
    },
  });
  const positive = (name: string, text: string | undefined, zero = false): number => {
    const n = Number(text);
    if (!Number.isFinite(n) || n < 0 || (!zero && n === 0))
      throw new Error(`--${name} must be a positive number, got ${text}`);
    return n;
  };
  const clients = values.clients!.split(',').map((name) => {
    const client = CLIENTS.find((c) => c.runner === name);
    if (!client)
      throw new Error(`--clients: unknown client ${name}; known: ${CLIENTS.map((c) => c.runner).join(', ')}`);
    return client;
  });
  return {
    broker: brokerKind(values.broker),
    rate: positive('rate', values.rate),
    seconds: positive('seconds', values.seconds),
    warmupSeconds: positive('warmup-s', values['warmup-s'], true),
    valueBytes: positive('value-bytes', values['value-bytes']),
    partitions: positive('partitions', values.partitions),
    brokers: positive('brokers', values.brokers),
    runs: positive('runs', values.runs),
    clients,
    markdown: values.markdown,
  };
}

let out = '';
let javaLatency: ((args: string[]) => string[]) | undefined;
let topicNo = 0;

async function runClient(client: Client, cluster: BrokerTarget, o: Options): Promise<LatencyOutput> {
  const topic = `bench-latency-${topicNo++}`;
  await cluster.createTopic(topic, o.partitions);
  const runnerArgs = [
    '--bootstrap',
    cluster.bootstrap,
    '--topic',
    topic,
    '--rate',
    String(o.rate),
    '--seconds',
    String(o.seconds),
    '--warmup-s',
    String(o.warmupSeconds),
    '--value-bytes',
    String(o.valueBytes),
  ];
  const timeoutMs = 1000 * (o.seconds + o.warmupSeconds + 60);
  if (client.java)
    return runChild<LatencyOutput>(
      'java',
      (javaLatency ??= javaRunner('LatencyRunner'))(runnerArgs),
      timeoutMs,
    );
  return runChild<LatencyOutput>(
    process.execPath,
    [join(out, 'bench', 'latency-runners', `${client.runner}.js`), ...runnerArgs],
    timeoutMs,
  );
}

interface Row {
  client: Client;
  result: LatencyResult | null;
  error: string | null;
}

/** The run of median p99 (of an even number, the lower of the middle two), or the first error. */
function summarize(client: Client, outputs: LatencyOutput[]): Row {
  const results: LatencyResult[] = [];
  for (const output of outputs) {
    if ('error' in output) return { client, result: null, error: output.error };
    results.push(output);
  }
  const sorted = [...results].sort((a, b) => a.p99Ms - b.p99Ms);
  return { client, result: sorted[Math.floor((sorted.length - 1) / 2)], error: null };
}

function table(rows: Row[]): string {
  const ours = rows.find((row) => row.client.runner === 'kafka-rx')?.result ?? undefined;
  const header = [
    'client',
    'records',
    'p50 (ms)',
    'p90 (ms)',
    'p99 (ms)',
    'max (ms)',
    'late sends',
    'CPU (s)',
    'peak RSS (MB)',
    'kafka-rx p50 ÷ this',
    'kafka-rx p99 ÷ this',
  ];
  const lines = rows.map(({ client, result, error }): string[] => {
    if (!result) return [client.name, `failed (${error})`, '', '', '', '', '', '', '', '', ''];
    const self = client.runner === 'kafka-rx';
    return [
      client.name,
      result.records.toLocaleString('en-US'),
      result.p50Ms.toFixed(2),
      result.p90Ms.toFixed(2),
      result.p99Ms.toFixed(2),
      result.maxMs.toFixed(2),
      String(result.late),
      result.cpuSeconds.toFixed(2),
      (result.maxRssKb / 1024).toFixed(0),
      ratio(ours?.p50Ms, result.p50Ms, self),
      ratio(ours?.p99Ms, result.p99Ms, self),
    ];
  });
  return markdownTable(header, lines);
}

async function main(): Promise<void> {
  const o = options();
  out = compileRunners('bench-latency', 'latency-runners');
  const cluster = await startTarget(o.broker, o.brokers);
  try {
    const outputs = new Map<Client, LatencyOutput[]>(o.clients.map((c) => [c, []]));
    for (let run = 1; run <= o.runs; run++) {
      for (const client of o.clients) {
        if (outputs.get(client)!.some((output) => 'error' in output)) continue;
        const output = await runClient(client, cluster, o);
        outputs.get(client)!.push(output);
        const note =
          'error' in output
            ? `error: ${output.error}`
            : `p50 ${output.p50Ms.toFixed(2)} ms, p99 ${output.p99Ms.toFixed(2)} ms, ${output.cpuSeconds.toFixed(2)} s CPU`;
        console.log(`  run ${run}/${o.runs} ${client.name}: ${note}`);
      }
    }
    const rows = o.clients.map((c) => summarize(c, outputs.get(c)!));
    const notes =
      `One record per send at a steady ${o.rate} records/s for ${o.seconds} s (after ${o.warmupSeconds} s of warm-up ` +
      `not counted), ${o.valueBytes} B values, into a fresh topic of ${o.partitions} partitions on ${cluster.description}; ` +
      `node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}). Latency from each record's send ` +
      `call to its acknowledgement (acks=all), every client with its defaults` +
      `${o.runs > 1 ? `; each client's run of median p99 of ${o.runs}` : ''}. Late sends: records sent more than 2 ms ` +
      `after their time (the runner was busy); CPU: user + system seconds of the runner's whole process; peak RSS of it.`;
    const text = table(rows);
    console.log(`\n${notes}\n\n${text}`);
    if (o.markdown) {
      const where = o.broker === 'kafka' ? 'Apache Kafka' : 'mock cluster';
      writeMarkdown(o.markdown, `Produce latency: ${where}, ${o.rate} records/s`, notes, text);
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
