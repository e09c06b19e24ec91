import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

/** What a finished `kafka-rx` process left behind. */
export interface CliRun {
  /** Exit code; null when it had to be killed (it did not end by itself). */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A running `kafka-rx` process. */
export interface CliProcess {
  readonly child: ChildProcess;
  /** Output so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves once stdout holds at least `n` lines. */
  lines(n: number): Promise<string[]>;
  /** Resolves when it ends by itself, or with code null when it is killed after `killAfterMs`. */
  readonly done: Promise<CliRun>;
}

/**
 * Starts `kafka-rx <args>` from src/ as a child process (TypeScript compiled as it loads by
 * @swc/core, as `bench/register.js` does), so that exit codes, signals and the standard streams
 * are the real ones. A process that does not end within `killAfterMs` is killed: a hang shows as
 * code null rather than as a stuck test run.
 */
export function startCli(
  args: readonly string[],
  options: { killAfterMs?: number; stdin?: string } = {},
): CliProcess {
  const child = spawn(process.execPath, ['--require', './bench/register.js', 'src/cli/main.ts', ...args], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const waiters: Array<() => void> = [];
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString('utf8');
    for (const w of waiters.splice(0)) w();
  });
  child.stderr!.on('data', (d: Buffer) => (err += d.toString('utf8')));
  if (options.stdin !== undefined) child.stdin!.end(options.stdin);
  const killer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs ?? 30000);
  const done = new Promise<CliRun>((resolve) => {
    child.once('close', (code) => {
      clearTimeout(killer);
      for (const w of waiters.splice(0)) w();
      resolve({ code, stdout: out, stderr: err });
    });
  });
  const complete = () => out.split('\n').slice(0, -1);
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    done,
    lines: (n) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (complete().length >= n) resolve(complete());
          else if (child.exitCode !== null || child.signalCode !== null) {
            reject(new Error(`kafka-rx ended with ${complete().length} of ${n} lines; stderr: ${err}`));
          } else waiters.push(check);
        };
        check();
      }),
  };
}

/** Runs `kafka-rx <args>` to its end. */
export function runCli(
  args: readonly string[],
  options: { killAfterMs?: number; stdin?: string } = {},
): Promise<CliRun> {
  return startCli(args, options).done;
}

export { refusedPort } from '../support/refused-port';
