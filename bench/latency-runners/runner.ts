/**
 * What every latency runner of bench/latency.ts shares: its arguments, the pacing and the one JSON
 * line it prints. A runner sends one record at a time at a steady `--rate` records/s for
 * `--warmup-s` + `--seconds` seconds, each record's latency taken from its send call to its
 * acknowledgement (the client's delivery report), and prints the percentiles of the records sent
 * after the warm-up: `{records, p50Ms, p90Ms, p99Ms, maxMs, late, maxRssKb, cpuSeconds}`, or
 * `{error}`.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { fail, processUsage, succeed, type ProcessUsage } from '../runner/output';

export { fail, message } from '../runner/output';

export interface LatencyArgs {
  readonly brokers: string[];
  readonly topic: string;
  readonly rate: number;
  readonly seconds: number;
  readonly warmupSeconds: number;
  readonly valueBytes: number;
}

export interface LatencyResult extends ProcessUsage {
  /** Records measured (sent after the warm-up). */
  readonly records: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** Sends that went out more than 2 ms after their time (the runner's event loop was busy). */
  readonly late: number;
}

export function latencyArgs(): LatencyArgs {
  const { values } = parseArgs({
    options: {
      bootstrap: { type: 'string' },
      topic: { type: 'string' },
      rate: { type: 'string' },
      seconds: { type: 'string' },
      'warmup-s': { type: 'string' },
      'value-bytes': { type: 'string' },
    },
  });
  const args = {
    brokers: (values.bootstrap ?? '').split(',').filter(Boolean),
    topic: values.topic ?? '',
    rate: Number(values.rate),
    seconds: Number(values.seconds),
    warmupSeconds: Number(values['warmup-s']),
    valueBytes: Number(values['value-bytes']),
  };
  if (
    args.brokers.length === 0 ||
    !args.topic ||
    !(args.rate > 0) ||
    !(args.seconds > 0) ||
    !(args.warmupSeconds >= 0) ||
    !(args.valueBytes > 0)
  ) {
    fail('usage: --bootstrap H:P --topic T --rate R --seconds S --warmup-s W --value-bytes B');
  }
  return args;
}

/** The value at quantile `q` (nearest rank) of sorted latencies. */
export function quantile(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/**
 * Calls `send(i, done)` for record i at start + i / rate, for every record of the warm-up and the
 * measured seconds; `send` calls `done()` when the record is acknowledged (or `done(error)`).
 * Resolves with the measured records' latencies, in ms, sorted, and how many sends were late.
 */
export function paced(
  args: LatencyArgs,
  send: (i: number, done: (error?: unknown) => void) => void,
): Promise<{ latencies: Float64Array; late: number }> {
  const warmup = Math.round(args.warmupSeconds * args.rate);
  const total = warmup + Math.round(args.seconds * args.rate);
  const latencies = new Float64Array(total - warmup);
  const interval = 1000 / args.rate;
  return new Promise((resolve, reject) => {
    const start = performance.now();
    let next = 0;
    let acked = 0;
    let late = 0;
    const tick = (): void => {
      // Every record whose time has come goes now: a busy event loop delays sends, never drops them.
      while (next < total && performance.now() >= start + next * interval) {
        const i = next++;
        const sentAt = performance.now();
        if (i >= warmup && sentAt - (start + i * interval) > 2) late++;
        send(i, (error?: unknown) => {
          if (error !== undefined) return reject(error instanceof Error ? error : new Error(String(error)));
          if (i >= warmup) latencies[i - warmup] = performance.now() - sentAt;
          if (++acked === total) resolve({ latencies: latencies.sort(), late });
        });
      }
      if (next < total) setTimeout(tick, Math.max(0, start + next * interval - performance.now()));
    };
    tick();
  });
}

/** Prints the result with this process's peak RSS and CPU time, and exits. */
export function finish(latencies: Float64Array, late: number): never {
  const result: LatencyResult = {
    records: latencies.length,
    p50Ms: quantile(latencies, 0.5),
    p90Ms: quantile(latencies, 0.9),
    p99Ms: quantile(latencies, 0.99),
    maxMs: latencies[latencies.length - 1],
    late,
    ...processUsage(),
  };
  succeed(result);
}
