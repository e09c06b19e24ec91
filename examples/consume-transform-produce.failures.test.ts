import { spawn } from 'node:child_process';
import { ErrorCode } from '../src/protocol/errors';
import { EndTxn, TxnOffsetCommit } from '../src/protocol/specs';
import { createFakeCluster, type FakeCluster } from '../src/testing';
import { track, untrack } from '../test/broker/child-reaper';
import { consume } from '../test/broker/kcat';
import { exactlyOnce } from './consume-transform-produce';

// Exactly once under failure: the pipeline of consume-transform-produce.ts over TCP against the
// fake cluster, whose transaction coordinator writes markers and fences. An aborted transaction
// and a crash mid-transaction both leave their output records in the log; a read_committed
// reader (kcat, librdkafka 2.12: an outside client) must still see every input exactly once.

const INPUTS = 60;
const PARTITIONS = 3;
const TIMEOUTS = { sessionTimeoutMs: 1000, heartbeatIntervalMs: 200, rebalanceTimeoutMs: 2000 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function seeded(): FakeCluster {
  const cluster = createFakeCluster({
    topics: { words: PARTITIONS, 'words-upper': PARTITIONS },
    minSessionTimeoutMs: 500,
  });
  for (let i = 0; i < INPUTS; i++)
    cluster.append('words', i % PARTITIONS, [{ key: `k${i}`, value: `word-${i}` }]);
  return cluster;
}

/** `words/partition@offset` of every input. */
const inputs = () =>
  Array.from({ length: INPUTS }, (_, i) => `words/${i % PARTITIONS}@${Math.floor(i / PARTITIONS)}`).sort();

/** Where each output record a read_committed reader (kcat) gets came from (its `source` header). */
async function committedSources(bootstrap: string): Promise<string[]> {
  const output = await consume({
    bootstrap,
    build: 'new',
    topic: 'words-upper',
    extraArgs: ['-X', 'isolation.level=read_committed'],
  });
  return output.map((r) => r.headers.find(([name]) => name === 'source')?.[1] ?? '?').sort();
}

/** Every output record in the log, aborted ones included (read_uncommitted). */
const written = (cluster: FakeCluster) =>
  Array.from({ length: PARTITIONS }, (_, p) => cluster.records('words-upper', p).length).reduce(
    (a, b) => a + b,
  );

const committedTotal = (cluster: FakeCluster) =>
  cluster.committedOffsets('eos').reduce((sum, c) => sum + Number(c.offset), 0);

describe('consume-transform-produce exactly once under failure (fake cluster over TCP)', () => {
  let cluster: FakeCluster;
  afterEach(() => cluster?.close());

  it('an aborted transaction: its output is written but never read, and a restart does the batch again', async () => {
    cluster = seeded();
    const { brokers } = await cluster.listen();
    // The first transaction's offsets are refused after its output is written: it is aborted.
    cluster.faults.pushError(TxnOffsetCommit.apiKey, ErrorCode.ILLEGAL_GENERATION);
    const options = { brokers, groupId: 'eos', count: INPUTS, batchSize: 5, timeouts: TIMEOUTS };

    await expect(exactlyOnce(options)).rejects.toMatchObject({ code: ErrorCode.ILLEGAL_GENERATION });
    expect(committedTotal(cluster)).toBe(0);
    const aborted = written(cluster);
    expect(aborted).toBeGreaterThan(0);

    const batches = await exactlyOnce(options);

    expect(batches.reduce((a, b) => a + b, 0)).toBe(INPUTS);
    expect(written(cluster)).toBe(INPUTS + aborted);
    expect(await committedSources(brokers.join(','))).toEqual(inputs());
    expect(cluster.committedOffsets('eos').map((c) => c.offset)).toEqual([20n, 20n, 20n]);
  });

  it('a crash mid-transaction: the next instance fences it, its open transaction is aborted, nothing is lost or doubled', async () => {
    cluster = seeded();
    const { brokers } = await cluster.listen();
    // Transactions stay open a while: long enough to kill the instance inside one.
    const undoDelay = cluster.faults.delay(EndTxn.apiKey, 300);
    const child = spawn(
      process.execPath,
      [
        '--require',
        './bench/register.js',
        'test/support/exactly-once-instance.ts',
        brokers.join(','),
        String(INPUTS),
      ],
      { stdio: ['pipe', 'inherit', 'inherit'] },
    );
    track(child.pid as number);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const open = () =>
      Array.from({ length: PARTITIONS }, (_, p) => cluster.offsets('words-upper', p)).some(
        (o) => o.lastStableOffset < o.highWatermark,
      );
    // Kill it once two transactions are committed and a third has written output.
    const deadline = Date.now() + 20_000;
    while (!(committedTotal(cluster) >= 10 && open()) && Date.now() < deadline) await sleep(5);
    child.kill('SIGKILL');
    await exited;
    untrack(child.pid as number);
    undoDelay();

    const committedAtCrash = committedTotal(cluster);
    expect(committedAtCrash).toBeGreaterThanOrEqual(10);
    expect(committedAtCrash).toBeLessThan(INPUTS);
    expect(open()).toBe(true);
    const writtenAtCrash = written(cluster);

    // The next instance: same group, same transactional id.
    const batches = await exactlyOnce({
      brokers,
      groupId: 'eos',
      count: INPUTS - committedAtCrash,
      batchSize: 5,
      timeouts: TIMEOUTS,
    });

    expect(batches.reduce((a, b) => a + b, 0)).toBe(INPUTS - committedAtCrash);
    expect(open()).toBe(false);
    // The crashed transaction's output is in the log, aborted; the inputs it held were done again.
    expect(written(cluster)).toBe(writtenAtCrash + INPUTS - committedAtCrash);
    expect(writtenAtCrash).toBeGreaterThan(committedAtCrash);
    expect(await committedSources(brokers.join(','))).toEqual(inputs());
    expect(cluster.committedOffsets('eos').map((c) => c.offset)).toEqual([20n, 20n, 20n]);
  });
});
