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
 *        [--node-options "--cpu-prof ..."]
 *
 * Each client runs in a child process of its own (bench/latency-runners/, bench/java/LatencyRunner.java);
 * the records of its first `--warmup-s` seconds (connecting, metadata, the JVM's JIT) are sent
 * but not counted. With several runs, each client's run of median p99 is shown.
 */
import type { BrokerTarget } from './broker-target';
import type { Client } from './clients';
import { freshTopic, runBenchmark, runEach, runnerFlags, type Runners } from './harness';
import type { LatencyResult } from './latency-runners/runner';
import { benchOptions, positiveNumber, type CommonOptions } from './options';
import { brokerTitle, failedRow, machine, markdownTable, printTable, ratio } from './report';

interface Options extends CommonOptions {
  rate: number;
  seconds: number;
  warmupSeconds: number;
}

function options(): Options {
  const { common, values } = benchOptions(
    'latency',
    { partitions: 8, runs: 1 },
    {
      rate: { type: 'string', default: '250' },
      seconds: { type: 'string', default: '20' },
      'warmup-s': { type: 'string', default: '3' },
      // bench/all.ts passes --records to every benchmark; a steady rate does not use it.
      records: { type: 'string' },
    },
  );
  return {
    ...common,
    rate: positiveNumber('rate', values.rate),
    seconds: positiveNumber('seconds', values.seconds),
    warmupSeconds: positiveNumber('warmup-s', values['warmup-s'], true),
  };
}

async function runClient(runners: Runners, client: Client, cluster: BrokerTarget, o: Options) {
  const args = runnerFlags({
    bootstrap: cluster.bootstrap,
    topic: await freshTopic(cluster, 'latency', o.partitions),
    rate: o.rate,
    seconds: o.seconds,
    'warmup-s': o.warmupSeconds,
    'value-bytes': o.valueBytes,
  });
  return runners.run<LatencyResult>(client, args, 1000 * (o.seconds + o.warmupSeconds + 60));
}

interface Row {
  client: Client;
  result: LatencyResult | null;
  error: string | null;
}

/** The run of median p99 (of an even number, the lower of the middle two), or the first error. */
function summarize(client: Client, results: LatencyResult[] | { error: string }): Row {
  if ('error' in results) return { client, result: null, error: results.error };
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
    if (!result) return failedRow(client.name, 'failed', error, header.length);
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

runBenchmark('latency', options, async (o, cluster, runners) => {
  const outputs = await runEach<LatencyResult>(
    o,
    (client) => runClient(runners, client, cluster, o),
    (r) => `p50 ${r.p50Ms.toFixed(2)} ms, p99 ${r.p99Ms.toFixed(2)} ms, ${r.cpuSeconds.toFixed(2)} s CPU`,
  );
  const rows = o.clients.map((c) => summarize(c, outputs.get(c)!));
  const notes =
    `One record per send at a steady ${o.rate} records/s for ${o.seconds} s (after ${o.warmupSeconds} s of warm-up ` +
    `not counted), ${o.valueBytes} B values, into a fresh topic of ${o.partitions} partitions on ${cluster.description}; ` +
    `${machine()}. Latency from each record's send ` +
    `call to its acknowledgement (acks=all), every client with its defaults` +
    `${o.runs > 1 ? `; each client's run of median p99 of ${o.runs}` : ''}. Late sends: records sent more than 2 ms ` +
    `after their time (the runner was busy); CPU: user + system seconds of the runner's whole process; peak RSS of it.`;
  printTable(
    o.markdown,
    `Produce latency: ${brokerTitle(o.broker)}, ${o.rate} records/s`,
    notes,
    table(rows),
  );
});
