/**
 * What every producer runner of bench/produce.ts shares: its arguments and the one JSON line it
 * prints. A runner is a child process of its own so that its CPU time and peak RSS belong to one
 * client. It sends `--records` records (keys `k<i>`, values of `--value-bytes` bytes 'v') to
 * `--topic`, waits for every acknowledgement, and prints
 * `{records, startedAt, firstSendAt, lastAckAt, maxRssKb, cpuSeconds}` (times in epoch
 * milliseconds) or `{error}` on stdout.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

export const CODECS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;
export type Codec = (typeof CODECS)[number];

export interface ProduceArgs {
  readonly bootstrap: string;
  readonly brokers: string[];
  readonly topic: string;
  readonly records: number;
  readonly valueBytes: number;
  readonly compression: Codec;
  /** kafka-rx's `batchBytes`, when given (`--batch-bytes`); otherwise its default. */
  readonly batchBytes: number | undefined;
}

export interface ProduceResult {
  readonly records: number;
  readonly startedAt: number;
  readonly firstSendAt: number;
  readonly lastAckAt: number;
  /** Peak resident set of the client's process. */
  readonly maxRssKb: number;
  /** User and system CPU time of the client's whole process, start-up included. */
  readonly cpuSeconds: number;
}

export type ProduceOutput = ProduceResult | { readonly error: string };

/** Epoch milliseconds with sub-millisecond precision, comparable across processes. */
export function wallClockMs(): number {
  return performance.timeOrigin + performance.now();
}

export function produceArgs(): ProduceArgs {
  const { values } = parseArgs({
    options: {
      bootstrap: { type: 'string' },
      topic: { type: 'string' },
      records: { type: 'string' },
      'value-bytes': { type: 'string' },
      compression: { type: 'string', default: 'none' },
      'batch-bytes': { type: 'string' },
    },
  });
  const records = Number(values.records);
  const valueBytes = Number(values['value-bytes']);
  const compression = CODECS.find((c) => c === values.compression);
  if (!values.bootstrap || !values.topic || !compression || !(records > 0) || !(valueBytes > 0)) {
    fail('usage: --bootstrap H:P[,H:P] --topic T --records N --value-bytes B [--compression C]');
  }
  const batchBytes = values['batch-bytes'] === undefined ? undefined : Number(values['batch-bytes']);
  if (batchBytes !== undefined && !(Number.isInteger(batchBytes) && batchBytes > 0))
    fail(`--batch-bytes must be a positive integer, not ${values['batch-bytes']}`);
  return {
    bootstrap: values.bootstrap,
    brokers: values.bootstrap.split(','),
    topic: values.topic,
    records,
    valueBytes,
    compression,
    batchBytes,
  };
}

/** The keys, `k0`..`k<n-1>`, made before the clock starts. */
export function keys(records: number): string[] {
  return Array.from({ length: records }, (_, i) => `k${i}`);
}

/** Prints the result with this process's peak RSS and CPU time (or those given) and exits. */
export function finish(
  records: number,
  firstSendAt: number,
  lastAckAt: number,
  own?: { maxRssKb: number; cpuSeconds: number },
): never {
  const usage = process.resourceUsage();
  print({
    records,
    startedAt: performance.timeOrigin,
    firstSendAt,
    lastAckAt,
    ...(own ?? { maxRssKb: usage.maxRSS, cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6 }),
  });
  process.exit(0);
}

function print(output: ProduceOutput): void {
  process.stdout.write(JSON.stringify(output) + '\n');
}

/** Prints `{error}` and exits with status 2. */
export function fail(reason: string): never {
  print({ error: reason });
  process.exit(2);
}

export function message(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
