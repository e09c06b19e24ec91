import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnTied } from '../tied-process';
import { javaArgs, toolsLog4j } from './java';
import { assertKafkaJars } from './kafka-jars';

export interface KafkaToolOptions {
  /** Killed after this long (then `timedOut` is true). Default 30 s. */
  timeoutMs?: number;
  /** Written to the tool's standard input, which is closed after it. */
  input?: string;
  heapMb?: number;
  /** The `java` to run. Default `java` on the PATH. */
  java?: string;
}

export interface KafkaToolRun {
  code: number | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
}

/**
 * Runs one of Kafka's Java tools (e.g. `org.apache.kafka.tools.consumer.ConsoleConsumer`) from the
 * jar cache, tied to this process. Never rejects on a non-zero exit: tests look at it. Kafka's log
 * lines (warnings and errors only) go to stderr, the tool's output to stdout.
 */
export async function runKafkaTool(
  mainClass: string,
  args: string[],
  options: KafkaToolOptions = {},
): Promise<KafkaToolRun> {
  assertKafkaJars();
  const dir = mkdtempSync(join(tmpdir(), 'kafka-tool-'));
  let stdinFile: string | undefined;
  if (options.input !== undefined) {
    stdinFile = join(dir, 'stdin');
    writeFileSync(stdinFile, options.input);
  }
  const proc = spawnTied(
    options.java ?? 'java',
    javaArgs(mainClass, args, { heapMb: options.heapMb ?? 256, log4jConfig: toolsLog4j }),
    { watchdogSignal: 'KILL', stdinFile },
  );
  let stdout = '';
  let stderr = '';
  proc.child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  proc.child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void proc.stop(0);
  }, options.timeoutMs ?? 30000);
  try {
    const code = await proc.exited;
    return { code, timedOut, stdout, stderr };
  } finally {
    clearTimeout(timer);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** As runKafkaTool, but rejects with the tool's output unless it exits with 0. */
export async function runKafkaToolOk(
  mainClass: string,
  args: string[],
  options: KafkaToolOptions = {},
): Promise<KafkaToolRun> {
  const run = await runKafkaTool(mainClass, args, options);
  if (run.code !== 0) {
    const why = run.timedOut ? 'timed out' : `exited with ${run.code}`;
    throw new Error(`${mainClass} ${why}:\n${tail(run.stderr + run.stdout)}`);
  }
  return run;
}

/** The last `lines` lines of a text. */
export function tail(text: string, lines = 30): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}
