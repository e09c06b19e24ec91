/**
 * Producer throughput: kafka-rx against KafkaJS and `kcat -P`, each writing the same records to a
 * fresh topic of librdkafka's mock cluster (over TCP on this machine). Run:
 *
 *   node --require ./bench/register.js bench/produce.ts [--records 200000] [--value-bytes 100]
 *        [--partitions 8] [--brokers 3] [--runs 3] [--compression none|gzip|snappy|lz4|zstd]
 *
 * Every client uses acks=all and its default batching (linger 5 ms for kafka-rx and kcat,
 * none for KafkaJS, which sends what each `send` is given). kafka-rx is idempotent by default
 * (as are the Java client and not the others): it is measured that way. kafka-rx gets all records
 * at once in sends of 1000; KafkaJS gets sends of 1000 records, at most 5 at a time (its requests
 * in flight per connection); kcat reads them from a file (`-l`), so its figure includes the
 * process start (tens of ms). Keys are `k<i>`, values `--value-bytes` bytes. The time is from the
 * first send to the last acknowledgement; each client's median run is shown.
 *
 * Needs the mock broker binaries: `bash test/broker/build.sh`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { CompressionTypes, Kafka, logLevel } from 'kafkajs';
import { lastValueFrom, forkJoin } from 'rxjs';
import { createProducer, type CompressionCodec, type ProducerRecord } from '../src/producer';
import { librdkafkaEnv } from '../test/broker/builds';
import { startMockCluster, type MockCluster } from '../test/broker/mock-cluster';

const CHUNK = 1000;

interface Options {
  records: number;
  valueBytes: number;
  partitions: number;
  brokers: number;
  runs: number;
  compression: CompressionCodec;
}

interface Workload {
  keys: string[];
  value: Buffer;
}

type Client = (cluster: MockCluster, topic: string, work: Workload, options: Options) => Promise<void>;

const kafkaRx: Client = async (cluster, topic, { keys, value }, options) => {
  const producer = createProducer({
    brokers: cluster.bootstrap.split(','),
    compression: options.compression,
  });
  try {
    const sends = [];
    for (let i = 0; i < keys.length; i += CHUNK) {
      const records: ProducerRecord[] = keys.slice(i, i + CHUNK).map((key) => ({ topic, key, value }));
      sends.push(producer.send(records));
    }
    await lastValueFrom(forkJoin(sends));
  } finally {
    await producer.close();
  }
};

const KAFKAJS_CODEC: Record<CompressionCodec, CompressionTypes | undefined> = {
  none: CompressionTypes.None,
  gzip: CompressionTypes.GZIP,
  snappy: undefined,
  lz4: undefined,
  zstd: undefined,
};

const kafkaJs: Client = async (cluster, topic, { keys, value }, options) => {
  const compression = KAFKAJS_CODEC[options.compression];
  if (compression === undefined) throw new Error(`KafkaJS has no built-in ${options.compression} codec`);
  const kafka = new Kafka({
    clientId: 'bench-kafkajs',
    brokers: cluster.bootstrap.split(','),
    logLevel: logLevel.NOTHING,
  });
  const producer = kafka.producer();
  await producer.connect();
  try {
    let next = 0;
    const worker = async () => {
      while (next < keys.length) {
        const chunk = keys.slice(next, (next += CHUNK));
        await producer.send({ topic, acks: -1, compression, messages: chunk.map((key) => ({ key, value })) });
      }
    };
    await Promise.all(Array.from({ length: 5 }, worker));
  } finally {
    await producer.disconnect();
  }
};

const kcat: Client = async (cluster, topic, { keys, value }, options) => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-produce-'));
  const file = join(dir, 'records');
  const text = value.toString('latin1');
  writeFileSync(file, keys.map((key) => `${key}\t${text}\n`).join(''));
  try {
    const args = [
      '-P',
      '-b',
      cluster.bootstrap,
      '-t',
      topic,
      '-K',
      '\t',
      '-z',
      options.compression,
      '-X',
      'acks=all',
      '-l',
      file,
    ];
    const child = spawn('kcat', args, {
      env: librdkafkaEnv(cluster.build),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    if (code !== 0) throw new Error(`kcat -P exited with ${code}: ${stderr.trim()}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

const CLIENTS: [string, Client][] = [
  ['kafka-rx', kafkaRx],
  ['KafkaJS', kafkaJs],
  ['kcat -P', kcat],
];

function options(): Options {
  const { values } = parseArgs({
    options: {
      records: { type: 'string', default: '200000' },
      'value-bytes': { type: 'string', default: '100' },
      partitions: { type: 'string', default: '8' },
      brokers: { type: 'string', default: '3' },
      runs: { type: 'string', default: '3' },
      compression: { type: 'string', default: 'none' },
    },
  });
  const positive = (name: string, text: string | undefined): number => {
    const n = Number(text);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer, got ${text}`);
    return n;
  };
  const compression = values.compression as CompressionCodec;
  if (!['none', 'gzip', 'snappy', 'lz4', 'zstd'].includes(compression))
    throw new Error(`--compression ${compression}?`);
  return {
    records: positive('records', values.records),
    valueBytes: positive('value-bytes', values['value-bytes']),
    partitions: positive('partitions', values.partitions),
    brokers: positive('brokers', values.brokers),
    runs: positive('runs', values.runs),
    compression,
  };
}

async function main(): Promise<void> {
  const opts = options();
  const work: Workload = {
    keys: Array.from({ length: opts.records }, (_, i) => `k${i}`),
    value: Buffer.alloc(opts.valueBytes, 'v'),
  };
  const bytes = work.keys.reduce((sum, k) => sum + k.length, 0) + opts.records * opts.valueBytes;
  const cluster = await startMockCluster({ brokers: opts.brokers });
  const results: { name: string; ms: number | undefined; error?: string }[] = [];
  try {
    let topicNo = 0;
    for (const [name, client] of CLIENTS) {
      const times: number[] = [];
      let error: string | undefined;
      for (let run = 0; run < opts.runs && error === undefined; run++) {
        const topic = `bench-produce-${topicNo++}`;
        await cluster.createTopic(topic, opts.partitions);
        const start = performance.now();
        try {
          await client(cluster, topic, work, opts);
          times.push(performance.now() - start);
        } catch (e) {
          error = e instanceof Error ? e.message : String(e);
        }
      }
      times.sort((a, b) => a - b);
      results.push({ name, ms: times.length ? times[Math.floor(times.length / 2)] : undefined, error });
    }
  } finally {
    await cluster.stop();
  }

  const ours = results[0].ms;
  console.log(
    `${opts.records} records of ${opts.valueBytes} bytes, ${opts.partitions} partitions on ${opts.brokers} mock brokers, ` +
      `compression ${opts.compression}, median of ${opts.runs} run(s), Node ${process.versions.node}`,
  );
  console.log('client      records/s     MB/s   time (ms)   throughput vs kafka-rx');
  for (const r of results) {
    if (r.ms === undefined) {
      console.log(`${r.name.padEnd(10)}  failed: ${r.error}`);
      continue;
    }
    const rate = opts.records / (r.ms / 1000);
    const mbps = bytes / 1e6 / (r.ms / 1000);
    const ratio = ours === undefined ? '-' : `${(ours / r.ms).toFixed(2)}x`;
    console.log(
      `${r.name.padEnd(10)}  ${Math.round(rate).toString().padStart(9)}  ${mbps.toFixed(1).padStart(7)}  ${Math.round(
        r.ms,
      )
        .toString()
        .padStart(10)}   ${ratio}`,
    );
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
