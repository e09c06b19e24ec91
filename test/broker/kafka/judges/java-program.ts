import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { track, untrack } from '../../child-reaper';
import { javaArgs, toolsLog4j } from '../java';
import { assertKafkaJars } from '../kafka-jars';
import { waitUntil } from './wait-until';

/** A Java program of judges/java/, run from source against Kafka's client jars. */
export function javaSource(name: string): string {
  return join(__dirname, 'java', `${name}.java`);
}

/**
 * One of Kafka's consumers as a judge (judges/java/Judge.java, a single-file source launch):
 * `member` picks which. It prints JSON lines and reads commands on stdin; it exits on end of
 * input, so it dies with the test process.
 */
export class JavaProgram<E> {
  readonly lines: E[] = [];
  stderr = '';
  private readonly child: ChildProcess;
  readonly exited: Promise<number | null>;

  constructor(member: 'group' | 'share', args: string[]) {
    assertKafkaJars();
    const javaArguments = javaArgs(javaSource('Judge'), [member, ...args], {
      heapMb: 128,
      log4jConfig: toolsLog4j,
    });
    this.child = spawn('java', javaArguments, { stdio: ['pipe', 'pipe', 'pipe'] });
    const pid = this.child.pid!;
    track(pid);
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code) => {
        untrack(pid);
        resolve(code);
      }),
    );
    let pending = '';
    this.child.stdout!.on('data', (d: Buffer) => {
      pending += d.toString();
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const l of lines) if (l.startsWith('{')) this.lines.push(JSON.parse(l) as E);
    });
    this.child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
  }

  send(command: string): void {
    this.child.stdin!.write(`${command}\n`);
  }

  async waitFor(check: (lines: E[]) => boolean, timeoutMs: number, what: string): Promise<void> {
    await waitUntil(() => check(this.lines), timeoutMs, `${what}\n${this.stderr.slice(-2000)}`);
  }

  /** SIGKILL: gone without closing, committing or leaving its group. */
  async kill(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exited;
  }

  /** Ends its input (it halts) and waits for it to exit; SIGKILL after `graceMs`. */
  async stop(graceMs = 5000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.stdin!.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
