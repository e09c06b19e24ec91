import { PassThrough } from 'node:stream';
import { runCli } from '../../src/cli/cli';

/** What one `kafka-rx` run in this process printed, and its exit code. */
export interface InProcessRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `kafka-rx <argv>` in this process (no child, no compile), with `stdin` as its input (a
 * string, or a stream the test writes to); `tty` makes standard error look like a terminal.
 */
export async function cliInProcess(
  argv: readonly string[],
  stdin: string | PassThrough = '',
  options: { tty?: boolean } = {},
): Promise<InProcessRun> {
  const input = typeof stdin === 'string' ? new PassThrough() : stdin;
  const stdout = new PassThrough();
  const stderr = Object.assign(new PassThrough(), { isTTY: options.tty === true });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => err.push(c));
  if (typeof stdin === 'string') input.end(stdin);
  const code = await runCli(argv, { stdin: input, stdout, stderr }, new AbortController().signal);
  return { code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
}

/** Table output as rows of cells (split on runs of spaces), header first. */
export function rows(table: string): string[][] {
  return table
    .trimEnd()
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => l.trim().split(/\s+/));
}
