import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { filter, firstValueFrom, takeUntil, tap, timer } from 'rxjs';
import { createConsumer, processRecords, type CommitResult, type ConsumerRecord } from '../../src';
import { createFakeCluster, type FakeCluster } from '../../src/testing';
import { track, untrack } from '../broker/child-reaper';

// At least once and bounded memory with processRecords, over TCP against the fake cluster.
describe('delivery over TCP', () => {
  let cluster: FakeCluster;
  afterEach(() => cluster.close());

  it('a 20 ms handler on 1 KiB records: handed-over records stay within the buffers, RSS stays bounded, no commit runs ahead of the work', async () => {
    const partitions = 4;
    const perPartition = 25_000;
    cluster = createFakeCluster({ topics: { slow: partitions } });
    const value = Buffer.alloc(1024, 'x');
    for (let p = 0; p < partitions; p++)
      for (let i = 0; i < perPartition; i += 500)
        cluster.append(
          'slow',
          p,
          Array.from({ length: 500 }, () => ({ value })),
        );
    const { brokers } = await cluster.listen();
    const consumer = createConsumer({
      brokers,
      groupId: 'slow-handler',
      topics: ['slow'],
      fromBeginning: true,
      autoCommit: { intervalMs: 200 },
    });

    let handed = 0;
    let done = 0;
    let maxOutstanding = 0;
    const doneUpTo = new Map<number, bigint>();
    const aheadOfWork: string[] = [];
    const commits: CommitResult[] = [];
    consumer.commits$.subscribe((c) => {
      commits.push(c);
      for (const o of c.offsets)
        if (o.offset > (doneUpTo.get(o.partition) ?? 0n))
          aheadOfWork.push(`${o.partition}@${o.offset} (done up to ${doneUpTo.get(o.partition) ?? 0n})`);
    });

    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 50);
    const subscription = consumer.messages$
      .pipe(
        tap(() => {
          handed++;
          maxOutstanding = Math.max(maxOutstanding, handed - done);
        }),
        processRecords(() => timer(20), { concurrency: partitions }),
      )
      .subscribe((r: ConsumerRecord) => {
        done++;
        doneUpTo.set(r.partition, r.offset + 1n);
      });
    await new Promise((resolve) => setTimeout(resolve, 4000));
    clearInterval(sampler);
    subscription.unsubscribe();
    await consumer.close();

    // Four partitions at 50 records a second each.
    expect(done).toBeGreaterThan(400);
    // Each partition is fetched while it holds under partitionBufferBytes (2 MiB by default) and
    // a response adds at most maxPartitionBytes (1 MiB): about 3,000 records of 1 KiB each.
    const bound = partitions * Math.ceil((3 * 1024 * 1024) / 1024);
    expect(maxOutstanding).toBeLessThan(bound);
    expect(handed).toBeLessThan(bound + done);
    // Held: 4 x 3 MiB of record bytes, plus their objects while they wait (28 MB measured; 147 MB
    // when every record counted as done once handed over, and all 100,000 were).
    const growthMb = (rssPeak - rssBefore) / (1024 * 1024);
    expect(growthMb).toBeLessThan(80);
    expect(commits.filter((c) => c.trigger === 'auto').length).toBeGreaterThan(10);
    expect(aheadOfWork).toEqual([]);
    // The last commit (on close) covers exactly what was done.
    const close = commits.find((c) => c.trigger === 'close');
    expect(close?.offsets.map((o) => [o.partition, o.offset])).toEqual(
      [...doneUpTo.entries()].sort(([a], [b]) => a - b),
    );
  });

  it('a member SIGKILLed mid-work loses nothing: the next member of the group gets every record it had not done', async () => {
    const partitions = 3;
    const perPartition = 200;
    cluster = createFakeCluster({ topics: { jobs: partitions }, minSessionTimeoutMs: 500 });
    for (let p = 0; p < partitions; p++)
      cluster.append(
        'jobs',
        p,
        Array.from({ length: perPartition }, (_, i) => ({ value: `job-${p}-${i}`.padEnd(1024, '.') })),
      );
    const { brokers } = await cluster.listen();

    const child = spawn(
      process.execPath,
      [
        '--require',
        './bench/register.js',
        'test/support/crash-member.ts',
        brokers.join(','),
        'jobs',
        'crash',
      ],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    track(child.pid as number);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const doneByFirst = new Set<string>();
    const enough = new Promise<void>((resolve) =>
      createInterface({ input: child.stdout! }).on('line', (line) => {
        const [word, p, offset] = line.split(' ');
        if (word === 'done') doneByFirst.add(`${p}@${offset}`);
        if (doneByFirst.size === 300) resolve();
      }),
    );
    await enough;
    child.kill('SIGKILL');
    await exited;
    untrack(child.pid as number);
    const committedAtKill = cluster.committedOffsets('crash');

    const second = createConsumer({
      brokers,
      groupId: 'crash',
      topics: ['jobs'],
      fromBeginning: true,
      sessionTimeoutMs: 1000,
      heartbeatIntervalMs: 200,
    });
    const all = new Set<string>();
    for (let p = 0; p < partitions; p++) for (let i = 0; i < perPartition; i++) all.add(`${p}@${i}`);
    const gotBySecond = new Set<string>();
    const missing = () => [...all].filter((k) => !doneByFirst.has(k) && !gotBySecond.has(k));
    await firstValueFrom(
      second.messages$.pipe(
        processRecords((r) => {
          gotBySecond.add(`${r.partition}@${r.offset}`);
        }),
        filter(() => missing().length === 0),
        // Long enough for the rebalance after the dead member's session timeout.
        takeUntil(timer(15_000)),
      ),
      { defaultValue: null },
    );
    await second.close();

    // The first member had committed some of its work before it died, and nothing beyond it.
    expect(committedAtKill.length).toBeGreaterThan(0);
    const committedNotDone = committedAtKill.flatMap((c) =>
      Array.from({ length: Number(c.offset) }, (_, o) => `${c.partition}@${o}`).filter(
        (k) => !doneByFirst.has(k),
      ),
    );
    expect(committedNotDone).toEqual([]);
    expect(missing()).toEqual([]);
    // The second member started from those commits, not from the beginning.
    expect(gotBySecond.size).toBeLessThan(all.size);
  });
});
