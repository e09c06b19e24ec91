/**
 * Runs one client's benchmark runner as a child process to completion and resolves with the JSON
 * line it printed last, or `{ error }` (a timeout, a crash, no result). Runners still going when
 * the harness exits are killed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { librdkafkaEnv } from '../test/broker/builds';

const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

export function runChild<T>(
  command: string,
  args: string[],
  timeoutMs: number,
): Promise<T | { error: string }> {
  const child = spawn(command, args, { env: librdkafkaEnv('new'), stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve({ error: `timed out after ${timeoutMs / 1000} s` });
    }, timeoutMs);
    child.once('close', (code) => {
      clearTimeout(timer);
      children.delete(child);
      const line = stdout.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(line) as T);
      } catch {
        const why = stderr.trim().split('\n').pop() || 'no result printed';
        resolve({ error: `exited with ${code}: ${why.slice(0, 200)}` });
      }
    });
  });
}
