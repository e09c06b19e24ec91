import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { librdkafkaEnv, type Build } from './builds';
import { spawnTied, type TiedProcess } from './tied-process';

/**
 * kcat (Debian's) as the outside client beside ours. With `build: 'new'` it
 * runs on librdkafka 2.12 instead of 2.0.2 (see builds.ts), which decides
 * the protocol versions it asks for.
 */

export type Codec = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';
export const CODECS: readonly Codec[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

export interface KcatTarget {
  bootstrap: string;
  /** Which librdkafka kcat runs on. Default `new`. */
  build?: Build;
  /** Extra kcat arguments, e.g. `['-X', 'debug=protocol']`. */
  extraArgs?: string[];
  /** Kills kcat after this long. Default 15 s. */
  timeoutMs?: number;
}

export interface ProducedRecord {
  key: string;
  value: string;
}

export interface ProduceOptions extends KcatTarget {
  topic: string;
  records: ProducedRecord[];
  /** Sent with every record (kcat's -H applies to all of them). */
  headers?: [string, string][];
  codec?: Codec;
  partition?: number;
}

export interface ConsumedRecord {
  topic: string;
  partition: number;
  offset: number;
  timestamp: number;
  key: string | null;
  value: string | null;
  headers: [string, string][];
}

export interface ConsumeOptions extends KcatTarget {
  topic: string;
  partition?: number;
  /** Stop after this many records (else at the end of the partitions). */
  count?: number;
}

export interface KcatRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `count` records `key-<i>` / `value-<i>`, the shape most tests need. */
export function keyedRecords(count: number, prefix = ''): ProducedRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    key: `${prefix}key-${i}`,
    value: `${prefix}value-${i}`,
  }));
}

/** Runs kcat to completion; never rejects on a non-zero exit (tests look at it). */
export async function runKcat(args: string[], target: KcatTarget): Promise<KcatRun> {
  const proc = spawnTied('kcat', ['-b', target.bootstrap, ...args, ...(target.extraArgs ?? [])], {
    env: librdkafkaEnv(target.build ?? 'new'),
  });
  const out = collect(proc);
  const timer = setTimeout(() => void proc.stop(0), target.timeoutMs ?? 15000);
  try {
    const code = await proc.exited;
    return { code, stdout: out.stdout(), stderr: out.stderr() };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Produces the records with `kcat -P`, one batch per partition when they fit
 * (kcat lingers a few ms), compressed with `codec`. Keys and values travel as
 * lines split at a tab, so they must contain neither tab nor newline.
 */
export async function produce(options: ProduceOptions): Promise<KcatRun> {
  for (const r of options.records) {
    if (/[\t\n]/.test(r.key + r.value)) throw new Error('keys and values must not contain tab or newline');
  }
  const dir = mkdtempSync(join(tmpdir(), 'kcat-'));
  const file = join(dir, 'records');
  writeFileSync(file, options.records.map((r) => `${r.key}\t${r.value}\n`).join(''));
  const args = ['-P', '-t', options.topic, '-K', '\t', '-z', options.codec ?? 'none'];
  if (options.partition !== undefined) args.push('-p', String(options.partition));
  for (const [name, value] of options.headers ?? []) args.push('-H', `${name}=${value}`);
  try {
    const run = await runKcat([...args, '-l', file], options);
    if (run.code !== 0) throw new KcatError('produce', run);
    return run;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Reads the topic from the beginning to its end (`kcat -C -e -J`). */
export async function consume(options: ConsumeOptions): Promise<ConsumedRecord[]> {
  const args = ['-C', '-t', options.topic, '-o', 'beginning', '-e', '-J', '-q'];
  if (options.partition !== undefined) args.push('-p', String(options.partition));
  if (options.count !== undefined) args.push('-c', String(options.count));
  const run = await runKcat(args, options);
  if (run.code !== 0) throw new KcatError('consume', run);
  return parseRecords(run.stdout);
}

export interface KcatMetadata {
  brokers: { id: number; name: string }[];
  topics: { topic: string; partitions: { partition: number; leader: number }[] }[];
}

/** `kcat -L -J`: what a client learns from Metadata. Rejects if kcat fails. */
export async function metadata(target: KcatTarget): Promise<KcatMetadata> {
  const run = await runKcat(['-L', '-J'], target);
  if (run.code !== 0) throw new KcatError('metadata', run);
  return JSON.parse(run.stdout) as KcatMetadata;
}

export interface GroupMemberOptions extends Omit<KcatTarget, 'timeoutMs'> {
  group: string;
  topics: string[];
}

/** A running `kcat -G` consumer group member. */
export interface GroupMember {
  /** Records consumed so far. */
  readonly records: ConsumedRecord[];
  /** kcat's stderr so far (rebalance and error messages). */
  stderr(): string;
  /** Resolves once `predicate` holds (checked on each output), or rejects after `timeoutMs`. */
  waitFor(predicate: (m: GroupMember) => boolean, timeoutMs?: number): Promise<void>;
  /** Leaves the group (kcat closes its consumer, committing offsets) and ends the process. */
  stop(): Promise<void>;
}

/**
 * Joins `group` as another member with `kcat -G`, reading from the earliest
 * offset when the group has none committed. Pass `-X` settings in extraArgs
 * (e.g. `heartbeat.interval.ms`).
 */
export function joinGroup(options: GroupMemberOptions): GroupMember {
  // -u: records reach us as they are consumed, not when a pipe buffer fills.
  const args = ['-b', options.bootstrap, '-G', options.group, '-J', '-u', '-X', 'auto.offset.reset=earliest'];
  const proc = spawnTied('kcat', [...args, ...(options.extraArgs ?? []), ...options.topics], {
    env: librdkafkaEnv(options.build ?? 'new'),
  });
  const out = collect(proc);
  const records: ConsumedRecord[] = [];
  let parsed = 0;
  const waiters = new Set<() => void>();
  const update = () => {
    const lines = out.stdout().split('\n');
    for (; parsed < lines.length - 1; parsed++) records.push(...parseRecords(lines[parsed]));
    for (const w of waiters) w();
  };
  proc.child.stdout?.on('data', update);
  proc.child.stderr?.on('data', update);

  const member: GroupMember = {
    records,
    stderr: out.stderr,
    waitFor(predicate, timeoutMs = 15000) {
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (predicate(member)) done(resolve);
          else if (proc.child.exitCode !== null)
            done(() => reject(new Error(`kcat -G exited: ${out.stderr()}`)));
        };
        const timer = setTimeout(
          () => done(() => reject(new Error(`timed out; kcat stderr: ${out.stderr()}`))),
          timeoutMs,
        );
        const done = (finish: () => void) => {
          clearTimeout(timer);
          waiters.delete(check);
          finish();
        };
        waiters.add(check);
        void proc.exited.then(check);
        check();
      });
    },
    async stop() {
      // SIGTERM (from the watchdog) makes kcat leave the group cleanly.
      await proc.stop(5000);
    },
  };
  return member;
}

export class KcatError extends Error {
  override name = 'KcatError';
  constructor(
    what: string,
    readonly run: KcatRun,
  ) {
    super(`kcat ${what} exited with ${run.code}: ${run.stderr.trim()}`);
  }
}

function collect(proc: TiedProcess): { stdout(): string; stderr(): string } {
  let stdout = '';
  let stderr = '';
  proc.child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  proc.child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return { stdout: () => stdout, stderr: () => stderr };
}

interface KcatJson {
  topic: string;
  partition: number;
  offset: number;
  ts: number;
  key: string | null;
  payload: string | null;
  headers?: string[];
}

function parseRecords(text: string): ConsumedRecord[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => {
      const j = JSON.parse(line) as KcatJson;
      const flat = j.headers ?? [];
      const headers: [string, string][] = [];
      for (let i = 0; i + 1 < flat.length; i += 2) headers.push([flat[i], flat[i + 1]]);
      return {
        topic: j.topic,
        partition: j.partition,
        offset: j.offset,
        timestamp: j.ts,
        key: j.key,
        value: j.payload,
        headers,
      };
    });
}
