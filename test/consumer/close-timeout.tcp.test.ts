import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Heartbeat, LeaveGroup, OffsetCommit } from '../../src/protocol/specs';
import { createFakeCluster, type FakeCluster } from '../../src/testing';

const root = join(__dirname, '..', '..');
const CLOSE_TIMEOUT_MS = 1500;

/**
 * Runs test/support/close-on-stdin.ts against the cluster; once it has partitions,
 * `breakIt` breaks the cluster, then the consumer is told to close. Resolves with its output,
 * exit code and how long after the close it took to end by itself.
 */
async function closeAfter(cluster: FakeCluster, brokers: string[], breakIt: () => Promise<void>) {
  const child = spawn(
    process.execPath,
    [
      '--require',
      './bench/register.js',
      'test/support/close-on-stdin.ts',
      brokers.join(','),
      String(CLOSE_TIMEOUT_MS),
    ],
    { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  const waiters: Array<() => void> = [];
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    for (const w of waiters.splice(0)) w();
  });
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), 20000);
  const exited = new Promise<{ code: number | null; at: number }>((resolve) =>
    child.once('close', (code) => resolve({ code, at: performance.now() })),
  );
  try {
    await new Promise<void>((resolve) => {
      const check = () => (out.includes('assigned') ? resolve() : waiters.push(check));
      check();
    });
    await breakIt();
    const closeAt = performance.now();
    child.stdin.end('close\n');
    const { code, at } = await exited;
    return { out, err, code, exitedAfterMs: at - closeAt };
  } finally {
    clearTimeout(killer);
    child.kill('SIGKILL');
  }
}

describe('consumer close() against a broken cluster (TCP, a consumer in its own process)', () => {
  let cluster: FakeCluster;
  let brokers: string[];
  beforeEach(async () => {
    cluster = createFakeCluster({ topics: { orders: 2 } });
    ({ brokers } = await cluster.listen());
  });
  afterEach(() => cluster.close());

  it('a cluster that stops answering: close gives up after closeTimeoutMs, says so, and the process exits', async () => {
    const run = await closeAfter(cluster, brokers, async () => {
      for (const api of [OffsetCommit, LeaveGroup, Heartbeat]) cluster.faults.delay(api, 60000);
    });
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    expect(run.out).toContain('close-timeout');
    const closedMs = Number(/closed (\d+)/.exec(run.out)?.[1]);
    expect(closedMs).toBeGreaterThanOrEqual(CLOSE_TIMEOUT_MS - 50);
    expect(closedMs).toBeLessThan(CLOSE_TIMEOUT_MS + 1000);
    // Nothing (timer or socket) kept the process alive after close() resolved.
    expect(run.exitedAfterMs).toBeLessThan(CLOSE_TIMEOUT_MS + 3000);
  }, 30000);

  it('a cluster that went down: close ends at once and the process exits', async () => {
    const run = await closeAfter(cluster, brokers, () => cluster.close());
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    expect(Number(/closed (\d+)/.exec(run.out)?.[1])).toBeLessThan(CLOSE_TIMEOUT_MS + 1000);
    expect(run.exitedAfterMs).toBeLessThan(CLOSE_TIMEOUT_MS + 3000);
  }, 30000);
});
