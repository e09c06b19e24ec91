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
import type { BrokerTarget } from './broker-target';
import type { Client } from './clients';
import { freshTopic, runBenchmark, runEach, runnerFlags, type Runners } from './harness';
import { benchOptions, positiveInteger, throughput, throughputConfig, type CommonOptions } from './options';
import type { ProduceResult } from './produce-runners/runner';
import type { Codec } from './runner/codec';
import { brokerTitle, machine, printTable } from './report';
import { throughputTable } from './throughput-table';

interface Options extends CommonOptions {
  records: number;
  compression: Codec;
  /** kafka-rx's `batchBytes`; undefined for its default. */
  batchBytes: number | undefined;
  timeoutMs: number;
}

function options(): Options {
  const { common, values } = benchOptions(
    'produce',
    { partitions: 8, runs: 3 },
    { ...throughputConfig(200000), 'batch-bytes': { type: 'string' } },
  );
  return {
    ...common,
    ...throughput(values, (records) => Math.max(60, records / 5000)),
    batchBytes:
      values['batch-bytes'] === undefined ? undefined : positiveInteger('batch-bytes', values['batch-bytes']),
  };
}

/** Runs one client once, into a topic of its own; resolves with its JSON line or an error. */
async function runClient(runners: Runners, client: Client, cluster: BrokerTarget, o: Options) {
  const topic = await freshTopic(cluster, 'produce', o.partitions);
  const args = runnerFlags({
    bootstrap: cluster.bootstrap,
    topic,
    records: o.records,
    'value-bytes': o.valueBytes,
    compression: o.compression,
  });
  if (client.java) {
    // The JIT's warm-up pass writes the same records to a topic of their own.
    await cluster.createTopic(`${topic}-warmup`, o.partitions);
    args.push('--warmup-topic', `${topic}-warmup`);
  } else if (o.batchBytes !== undefined && client.runner.startsWith('kafka-rx')) {
    args.push('--batch-bytes', String(o.batchBytes));
  }
  return runners.run<ProduceResult>(client, args, o.timeoutMs);
}

interface Row {
  client: Client;
  result: ProduceResult | null;
  error: string | null;
}

const seconds = (r: ProduceResult) => (r.lastAckAt - r.firstSendAt) / 1000;

/** The run of median time (of an even number, the faster of the middle two), or the first error. */
function summarize(client: Client, results: ProduceResult[] | { error: string }): Row {
  if ('error' in results) return { client, result: null, error: results.error };
  const sorted = [...results].sort((a, b) => seconds(a) - seconds(b));
  return { client, result: sorted[Math.floor((sorted.length - 1) / 2)], error: null };
}

function table(rows: Row[], payloadBytes: number): string {
  return throughputTable(
    rows.map(({ client, result, error }) => ({
      name: client.name,
      self: client.runner === 'kafka-rx',
      error,
      result: result && { ...result, seconds: seconds(result), bytes: payloadBytes },
    })),
  );
}

runBenchmark('produce', options, async (o, cluster, runners) => {
  let keyBytes = 0;
  for (let i = 0; i < o.records; i++) keyBytes += String(i).length + 1;
  const payloadBytes = keyBytes + o.records * o.valueBytes;
  const outputs = await runEach<ProduceResult>(
    o,
    (client) => runClient(runners, client, cluster, o),
    (r) =>
      `${seconds(r).toFixed(2)} s, ${r.cpuSeconds.toFixed(2)} s CPU, ${(r.maxRssKb / 1024).toFixed(0)} MB`,
  );
  const rows = o.clients.map((c) => summarize(c, outputs.get(c)!));
  const notes =
    `${o.records.toLocaleString('en-US')} records of ${o.valueBytes} B values (${(payloadBytes / 1e6).toFixed(1)} MB ` +
    `of keys and values), compression ${o.compression}, acks=all${o.batchBytes === undefined ? '' : `, kafka-rx with batchBytes ${o.batchBytes}`}, into a fresh topic of ${o.partitions} partitions ` +
    `on ${cluster.description}; ${machine()}. ` +
    `Time from first send to last acknowledgement${o.runs > 1 ? `, each client's run of median time of ${o.runs}` : ''}; ` +
    `MB = 10^6 bytes of keys and values; CPU: user + system seconds of that run's whole process (the Java ` +
    `client's without its warm-up pass); peak RSS of that run's process.`;
  printTable(
    o.markdown,
    `Produce: ${brokerTitle(o.broker)}, ${o.valueBytes} B values, compression ${o.compression}`,
    notes,
    table(rows, payloadBytes),
  );
});
