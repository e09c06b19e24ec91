/**
 * What every consumer runner of bench/consume.ts shares: its arguments, the count of records
 * and bytes with the time of the first and last record, and the one JSON line it prints.
 *
 * A runner is a child process of its own so that its peak RSS belongs to one client. It reads
 * the topic from the beginning with a fresh group until it has seen `--records` records, closes
 * its client, and prints `{records, bytes, firstRecordAt, lastRecordAt, maxRssKb, cpuSeconds, startedAt}`
 * (times in epoch milliseconds) or `{error}` on stdout.
 */
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { fail, processUsage, succeed, wallClockMs, type ProcessUsage } from '../runner/output';

export { fail, message, processUsage, TIMED, timedUsage, wallClockMs } from '../runner/output';

export interface RunnerArgs {
  /** `host:port,host:port`, as the mock cluster gives it. */
  readonly bootstrap: string;
  readonly brokers: string[];
  readonly topic: string;
  /** How many records the topic holds: the runner stops after this many. */
  readonly records: number;
  readonly groupId: string;
  /** Give up when no record has arrived this long after start. */
  readonly firstRecordTimeoutMs: number;
}

export interface RunResult {
  /** Distinct records seen. */
  readonly records: number;
  readonly duplicates: number;
  readonly gaps: number;
  /** Key and value bytes of the records seen. */
  readonly bytes: number;
  readonly startedAt: number;
  readonly firstRecordAt: number;
  readonly lastRecordAt: number;
  /** Peak resident set of this process (for kcat: of kcat). */
  readonly maxRssKb: number;
  /** User and system CPU time of the whole process (for kcat: of kcat), start-up included. */
  readonly cpuSeconds: number;
}

export function runnerArgs(): RunnerArgs {
  const { values } = parseArgs({
    options: {
      bootstrap: { type: 'string' },
      topic: { type: 'string' },
      records: { type: 'string' },
      group: { type: 'string' },
      'first-record-timeout-ms': { type: 'string', default: '30000' },
    },
  });
  const records = Number(values.records);
  if (!values.bootstrap || !values.topic || !values.group || !Number.isInteger(records) || records <= 0) {
    fail('usage: --bootstrap H:P[,H:P] --topic T --records N --group G [--first-record-timeout-ms MS]');
  }
  return {
    bootstrap: values.bootstrap,
    brokers: values.bootstrap.split(','),
    topic: values.topic,
    records,
    groupId: values.group,
    firstRecordTimeoutMs: Number(values['first-record-timeout-ms']),
  };
}

/**
 * Counts records, each (partition, offset) once: a runner is done when it has seen every record,
 * not when a client has delivered as many as there are (a refetch would count twice). The topic
 * was seeded from empty, so each partition's offsets run 0, 1, 2... On every client's hot path:
 * a comparison and two additions.
 */
export class Tally {
  records = 0;
  bytes = 0;
  /** Records seen again (offset below the next expected one). */
  duplicates = 0;
  /** Records skipped (offset above the next expected one). */
  gaps = 0;
  firstRecordAt = 0;
  lastRecordAt = 0;
  private readonly next: number[] = [];

  constructor(private readonly expected: number) {}

  /** Counts one record; true once all the expected records have been seen. */
  add(partition: number, offset: number, keyBytes: number, valueBytes: number): boolean {
    const next = this.next[partition] ?? 0;
    if (offset !== next) {
      if (offset < next) {
        this.duplicates++;
        return this.done;
      }
      this.gaps += offset - next;
    }
    this.next[partition] = offset + 1;
    if (this.records === 0) this.firstRecordAt = wallClockMs();
    this.records++;
    this.bytes += keyBytes + valueBytes;
    if (this.records < this.expected) return false;
    if (this.lastRecordAt === 0) this.lastRecordAt = wallClockMs();
    return true;
  }

  /** `add` for a record as a client delivers it: key and value may be absent. */
  addRecord(
    partition: number,
    offset: number,
    key: { readonly length: number } | null | undefined,
    value: { readonly length: number } | null | undefined,
  ): boolean {
    return this.add(partition, offset, key == null ? 0 : key.length, value == null ? 0 : value.length);
  }

  get done(): boolean {
    return this.records >= this.expected;
  }
}

/**
 * With `BENCH_TRACE=<file>` in the environment, samples `process.memoryUsage()` every 10 ms
 * (lines `mem ms rss heapTotal heapUsed external arrayBuffers`, in ms since start and MB) and
 * keeps what the runner adds with `trace()`, then writes it all to that file when the runner
 * finishes: where a peak RSS comes from, how a client fetches.
 */
const traceLines: string[] = [];
const traceFile = process.env.BENCH_TRACE;
const traceStart = performance.now();

/** Adds a line to the trace (a no-op without `BENCH_TRACE`), prefixed with ms since start. */
export function trace(what: string): void {
  if (traceFile) traceLines.push(`${what}\t${(performance.now() - traceStart).toFixed(1)}`);
}

if (traceFile) {
  const mb = (n: number) => (n / 2 ** 20).toFixed(1);
  setInterval(() => {
    const m = process.memoryUsage();
    trace(['mem', mb(m.rss), mb(m.heapTotal), mb(m.heapUsed), mb(m.external), mb(m.arrayBuffers)].join('\t'));
  }, 10).unref();
}

/** Fails the run if no record has arrived in time; `detail` adds what the client was doing. */
export function watchFirstRecord(args: RunnerArgs, tally: Tally, detail: () => string = () => ''): void {
  const timer = setTimeout(() => {
    if (tally.records === 0) {
      const more = detail();
      fail(`no record within ${args.firstRecordTimeoutMs / 1000} s${more ? ` (${more})` : ''}`);
    }
  }, args.firstRecordTimeoutMs);
  timer.unref();
}

/**
 * Closes the client (waiting at most `graceMs`, so a slow close does not hide the result),
 * prints the result with this process's peak RSS and CPU time (or those given, for a client
 * in a process of its own), and exits.
 */
export async function finish(
  tally: Tally,
  close: () => Promise<unknown>,
  own?: ProcessUsage,
  graceMs = 10000,
): Promise<never> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    close().catch(() => undefined),
    new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs))),
  ]);
  clearTimeout(timer);
  if (traceFile) writeFileSync(traceFile, `${traceLines.join('\n')}\n`);
  const result: RunResult = {
    records: tally.records,
    duplicates: tally.duplicates,
    gaps: tally.gaps,
    bytes: tally.bytes,
    startedAt: performance.timeOrigin,
    firstRecordAt: tally.firstRecordAt,
    lastRecordAt: tally.lastRecordAt,
    ...(own ?? processUsage()),
  };
  succeed(result);
}
