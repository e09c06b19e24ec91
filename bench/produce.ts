/**
 * Producer throughput, CPU and memory: kafka-rx against KafkaJS, `kcat -P` and the Java client,
 * each writing the same records to a fresh topic of Apache Kafka (default) or librdkafka's mock
 * cluster, over TCP on this machine. Run:
 *
 *   node --require ./bench/register.js bench/produce.ts [--broker kafka|mock] [--records 200000]
 *        [--value-bytes 100] [--partitions 8] [--brokers 3] [--runs 3]
 *        [--compression none|gzip|snappy|lz4|zstd] [--clients kafka-rx,kafkajs,kcat,java]
 *        [--timeout-s S] [--node-options "--cpu-prof ..."] [--markdown bench/results/<name>.md]
 *        [--batch-bytes B]  (kafka-rx's batchBytes; its default, 16384, otherwise)
 *
 * Every client uses acks=all and its own default batching (linger 5 ms for kafka-rx, kcat and
 * Java; none for KafkaJS, which sends what each `send` is given). kafka-rx and the Java client
 * are idempotent by default, KafkaJS and kcat are not: each is measured with its defaults. Each
 * client runs in a child process of its own (bench/produce-runners/, bench/java/), one after the
 * other, so that its CPU time and peak RSS are its own; see those files for how each one sends.
 * Keys are `k<i>`, values `--value-bytes` bytes. The time is from the first send to the last
 * acknowledgement; each client's run of median time is shown.
 *
 * Needs the Kafka jars (`bash test/broker/kafka/fetch-jars.sh`) or the mock broker binaries
 * (`bash test/broker/build.sh`).
 */
import { cpus } from 'node:os';
import { runChild } from './run-child';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { brokerKind, startTarget, type BrokerKind, type BrokerTarget } from './broker-target';
import { compileRunners } from './compile-runners';
import { javaRunner } from './java-runners';
import { CODECS, type Codec, type ProduceOutput, type ProduceResult } from './produce-runners/runner';
import { markdownTable, ratio, writeMarkdown } from './report';

interface Client {
  readonly name: string;
  readonly runner: string;
  /** A JVM runner (bench/java/), not a Node one. */
  readonly java?: boolean;
}

const CLIENTS: readonly Client[] = [
  { name: 'kafka-rx', runner: 'kafka-rx' },
  { name: 'kafka-rx produce()', runner: 'kafka-rx-operator' },
  { name: 'KafkaJS', runner: 'kafkajs' },
  { name: 'kcat -P', runner: 'kcat' },
  { name: 'Java KafkaProducer', runner: 'java', java: true },
];

interface Options {
  broker: BrokerKind;
  records: number;
  valueBytes: number;
  partitions: number;
  brokers: number;
  runs: number;
  compression: Codec;
  /** kafka-rx's `batchBytes`; undefined for its default. */
  batchBytes: number | undefined;
  clients: Client[];
  timeoutMs: number;
  markdown: string | undefined;
  /** Extra node flags for the Node runners (e.g. profiling). */
  nodeOptions: string[];
}

function options(): Options {
  const { values } = parseArgs({
    options: {
      broker: { type: 'string', default: 'kafka' },
      records: { type: 'string', default: '200000' },
      'value-bytes': { type: 'string', default: '100' },
      partitions: { type: 'string', default: '8' },
      brokers: { type: 'string', default: '3' },
      runs: { type: 'string', default: '3' },
      compression: { type: 'string', default: 'none' },
      'batch-bytes': { type: 'string' },
      clients: { type: 'string' },
      'timeout-s': { type: 'string' },
      'node-options': { type: 'string', default: '' },
      markdown: { type: 'string' },
    },
  });
  const positive = (name: string, text: string | undefined): number => {
    const n = Number(text);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer, got ${text}`);
    return n;
  };
  const broker = brokerKind(values.broker);
  const compression = CODECS.find((c) => c === values.compression);
  if (!compression) throw new Error(`--compression must be one of ${CODECS.join(', ')}`);
  // The Java client is the peer on the real broker; on the mock it runs only when asked for.
  const named =
    values.clients ??
    CLIENTS.filter((c) => broker === 'kafka' || !c.java)
      .map((c) => c.runner)
      .join(',');
  const clients = named.split(',').map((name) => {
    const client = CLIENTS.find((c) => c.runner === name.trim());
    if (!client)
      throw new Error(`--clients: unknown client ${name}; known: ${CLIENTS.map((c) => c.runner).join(', ')}`);
    return client;
  });
  const records = positive('records', values.records);
  return {
    broker,
    records,
    valueBytes: positive('value-bytes', values['value-bytes']),
    partitions: positive('partitions', values.partitions),
    brokers: positive('brokers', values.brokers),
    runs: positive('runs', values.runs),
    compression,
    batchBytes:
      values['batch-bytes'] === undefined ? undefined : positive('batch-bytes', values['batch-bytes']),
    clients,
    timeoutMs:
      1000 *
      (values['timeout-s'] ? positive('timeout-s', values['timeout-s']) : Math.max(60, records / 5000)),
    markdown: values.markdown,
    nodeOptions: (values['node-options'] ?? '').split(' ').filter((flag) => flag !== ''),
  };
}

/** Where the Node runners were compiled to. */
let out = '';
let javaProducer: ((args: string[]) => string[]) | undefined;
let topicNo = 0;

/** Runs one client once, into a topic of its own; resolves with its JSON line or an error. */
async function runClient(client: Client, cluster: BrokerTarget, o: Options): Promise<ProduceOutput> {
  const topic = `bench-produce-${topicNo++}`;
  await cluster.createTopic(topic, o.partitions);
  const runnerArgs = [
    '--bootstrap',
    cluster.bootstrap,
    '--topic',
    topic,
    '--records',
    String(o.records),
    '--value-bytes',
    String(o.valueBytes),
    '--compression',
    o.compression,
  ];
  let command: string;
  let args: string[];
  if (client.java) {
    // The JIT's warm-up pass writes the same records to a topic of their own.
    await cluster.createTopic(`${topic}-warmup`, o.partitions);
    command = 'java';
    args = (javaProducer ??= javaRunner('ProduceRunner'))([
      ...runnerArgs,
      '--warmup-topic',
      `${topic}-warmup`,
    ]);
  } else {
    command = process.execPath;
    const batchBytes =
      o.batchBytes !== undefined && client.runner.startsWith('kafka-rx')
        ? ['--batch-bytes', String(o.batchBytes)]
        : [];
    args = [
      ...o.nodeOptions,
      join(out, 'bench', 'produce-runners', `${client.runner}.js`),
      ...runnerArgs,
      ...batchBytes,
    ];
  }
  return runChild<ProduceOutput>(command, args, o.timeoutMs);
}

interface Row {
  client: Client;
  result: ProduceResult | null;
  error: string | null;
}

const seconds = (r: ProduceResult) => (r.lastAckAt - r.firstSendAt) / 1000;

/** The run of median time (of an even number, the faster of the middle two), or the first error. */
function summarize(client: Client, outputs: ProduceOutput[]): Row {
  const results: ProduceResult[] = [];
  for (const output of outputs) {
    if ('error' in output) return { client, result: null, error: output.error };
    results.push(output);
  }
  const sorted = [...results].sort((a, b) => seconds(a) - seconds(b));
  return { client, result: sorted[Math.floor((sorted.length - 1) / 2)], error: null };
}

function table(rows: Row[], payloadBytes: number): string {
  const rate = (r: ProduceResult) => r.records / seconds(r);
  const ours = rows.find((row) => row.client.runner === 'kafka-rx')?.result ?? undefined;
  const header = [
    'client',
    'time (s)',
    'records/s',
    'MB/s',
    'CPU (s)',
    'peak RSS (MB)',
    'kafka-rx records/s ÷ this',
    'kafka-rx CPU ÷ this',
    'kafka-rx RSS ÷ this',
  ];
  const lines = rows.map(({ client, result, error }): string[] => {
    if (!result) {
      const what = client.runner === 'kafka-rx' ? 'not available' : 'failed';
      return [client.name, `${what} (${error})`, '', '', '', '', '', '', ''];
    }
    const self = client.runner === 'kafka-rx';
    return [
      client.name,
      seconds(result).toFixed(2),
      Math.round(rate(result)).toLocaleString('en-US'),
      (payloadBytes / 1e6 / seconds(result)).toFixed(1),
      result.cpuSeconds.toFixed(2),
      (result.maxRssKb / 1024).toFixed(0),
      ratio(ours ? rate(ours) : undefined, rate(result), self),
      ratio(ours?.cpuSeconds, result.cpuSeconds, self),
      ratio(ours?.maxRssKb, result.maxRssKb, self),
    ];
  });
  return markdownTable(header, lines);
}

async function main(): Promise<void> {
  const o = options();
  out = compileRunners('bench-produce', 'produce-runners');
  let keyBytes = 0;
  for (let i = 0; i < o.records; i++) keyBytes += String(i).length + 1;
  const payloadBytes = keyBytes + o.records * o.valueBytes;
  const cluster = await startTarget(o.broker, o.brokers);
  try {
    const outputs = new Map<Client, ProduceOutput[]>(o.clients.map((c) => [c, []]));
    for (let run = 1; run <= o.runs; run++) {
      for (const client of o.clients) {
        // A client that failed once is not run again: its row shows that failure.
        if (outputs.get(client)!.some((output) => 'error' in output)) continue;
        const output = await runClient(client, cluster, o);
        outputs.get(client)!.push(output);
        const note =
          'error' in output
            ? `error: ${output.error}`
            : `${seconds(output).toFixed(2)} s, ${output.cpuSeconds.toFixed(2)} s CPU, ${(output.maxRssKb / 1024).toFixed(0)} MB`;
        console.log(`  run ${run}/${o.runs} ${client.name}: ${note}`);
      }
    }
    const rows = o.clients.map((c) => summarize(c, outputs.get(c)!));
    const notes =
      `${o.records.toLocaleString('en-US')} records of ${o.valueBytes} B values (${(payloadBytes / 1e6).toFixed(1)} MB ` +
      `of keys and values), compression ${o.compression}, acks=all${o.batchBytes === undefined ? '' : `, kafka-rx with batchBytes ${o.batchBytes}`}, into a fresh topic of ${o.partitions} partitions ` +
      `on ${cluster.description}; node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}). ` +
      `Time from first send to last acknowledgement${o.runs > 1 ? `, each client's run of median time of ${o.runs}` : ''}; ` +
      `MB = 10^6 bytes of keys and values; CPU: user + system seconds of that run's whole process (the Java ` +
      `client's without its warm-up pass); peak RSS of that run's process.`;
    const text = table(rows, payloadBytes);
    console.log(`\n${notes}\n\n${text}`);
    if (o.markdown) {
      const where = o.broker === 'kafka' ? 'Apache Kafka' : 'mock cluster';
      writeMarkdown(
        o.markdown,
        `Produce: ${where}, ${o.valueBytes} B values, compression ${o.compression}`,
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
