/**
 * What every benchmark runner prints: one JSON line on stdout, its result or `{error}`, with the
 * CPU time and peak RSS of its whole process. A runner is a child process of its own so that
 * those belong to one client; the harness reads the line (bench/run-child.ts).
 */
import { performance } from 'node:perf_hooks';

export interface ProcessUsage {
  /** Peak resident set of the client's process. */
  readonly maxRssKb: number;
  /** User and system CPU time of the client's whole process, start-up included. */
  readonly cpuSeconds: number;
}

/** Epoch milliseconds with sub-millisecond precision, comparable across processes. */
export function wallClockMs(): number {
  return performance.timeOrigin + performance.now();
}

/** Peak RSS and user + system CPU time of this process so far. */
export function processUsage(): ProcessUsage {
  const usage = process.resourceUsage();
  return { maxRssKb: usage.maxRSS, cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6 };
}

function print(output: object): void {
  process.stdout.write(JSON.stringify(output) + '\n');
}

/** Prints the result and exits with status 0. */
export function succeed(result: object): never {
  print(result);
  process.exit(0);
}

/** Prints `{error}` and exits with status 2. */
export function fail(reason: string): never {
  print({ error: reason });
  process.exit(2);
}

export function message(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** `/usr/bin/time` in front of a command (kcat): it reports that command's own peak RSS and CPU. */
export const TIMED = ['/usr/bin/time', '-f', 'maxrss %M cpu %U %S'] as const;

/** The usage that `TIMED` wrote at the end of `stderr`; fails the run without it. */
export function timedUsage(stderr: string): ProcessUsage {
  const usage = /maxrss (\d+) cpu ([\d.]+) ([\d.]+)/.exec(stderr);
  if (!usage) fail(`no peak RSS and CPU time from /usr/bin/time: ${stderr.trim()}`);
  return { maxRssKb: Number(usage[1]), cpuSeconds: Number(usage[2]) + Number(usage[3]) };
}
