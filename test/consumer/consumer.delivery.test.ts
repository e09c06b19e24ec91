import { concatMap, mergeMap, tap, timer } from 'rxjs';
import type { ConsumerConfig } from '../../src/consumer/config';
import { processRecords } from '../../src/consumer/process-records';
import type { ConsumerRecord } from '../../src/consumer/types';
import { ScriptedConsumerCluster } from '../support/scripted-consumer-cluster';
import { scriptedConsumer } from '../support/scripted-consumer';

const setup = (overrides: Partial<ConsumerConfig> = {}, partitions = 2) =>
  scriptedConsumer({ autoCommit: { intervalMs: 100 }, ...overrides }, partitions);

/** Records handed to the application and records whose work completed, by partition, in order. */
function tally() {
  const handed = new Map<number, bigint[]>();
  const done = new Map<number, bigint[]>();
  const push = (m: Map<number, bigint[]>, r: ConsumerRecord) =>
    m.set(r.partition, [...(m.get(r.partition) ?? []), r.offset]);
  const count = (m: Map<number, bigint[]>) => [...m.values()].reduce((n, l) => n + l.length, 0);
  return {
    handed: (r: ConsumerRecord) => push(handed, r),
    done: (r: ConsumerRecord) => push(done, r),
    outstanding: () => count(handed) - count(done),
    doneCount: () => count(done),
    /** One past the last completed record of the partition: what a commit may cover. */
    doneUpTo: (p: number) => {
      const l = done.get(p) ?? [];
      return l.length === 0 ? 0n : l[l.length - 1] + 1n;
    },
  };
}

const fill = (cluster: ScriptedConsumerCluster, partitions: number, n: number) => {
  for (let p = 0; p < partitions; p++)
    for (let i = 0; i < n; i++) cluster.produce('orders', p, `p${p}-${i}`.padEnd(40, '.'));
};

describe('delivery: at least once and bounded with processRecords (virtual time)', () => {
  it('a slow handler stops fetching: records handed over and not done stay within the partition buffers', () => {
    const t = setup({ partitionBufferBytes: 400 });
    fill(t.cluster, 2, 200);
    const seen = tally();
    let maxOutstanding = 0;
    t.consumer.messages$
      .pipe(
        tap((r) => {
          seen.handed(r);
          maxOutstanding = Math.max(maxOutstanding, seen.outstanding());
        }),
        processRecords(() => timer(20, t.clock), { concurrency: 2 }),
      )
      .subscribe((r) => seen.done(r));
    t.clock.advanceTo(1000);
    // 50 records a second per partition.
    expect(seen.doneCount()).toBeGreaterThan(90);
    // A partition is fetched while it holds under 400 bytes of records (47 bytes each here), and a
    // response brings 3 records at most: under 400 + 141 bytes, 11 records, per partition.
    expect(maxOutstanding).toBeGreaterThan(2);
    expect(maxOutstanding).toBeLessThanOrEqual(22);
  });

  it('the operator holds what it was handed: the buffer is counted until done, so fetches stay near consumption', () => {
    const t = setup({ partitionBufferBytes: 400 }, 1);
    fill(t.cluster, 1, 300);
    let delivered = 0;
    let done = 0;
    t.consumer.messages$.pipe(processRecords(() => timer(20, t.clock))).subscribe(() => done++);
    t.consumer.events$.subscribe((e) => {
      if (e.type === 'fetch') delivered += e.records;
    });
    t.clock.advanceTo(2000);
    // 50 done per second; fetched never more than 400 bytes plus a response (11 records) ahead.
    expect(done).toBeGreaterThan(90);
    expect(delivered - done).toBeLessThanOrEqual(11);
  });

  it('no commit ever covers a record whose handler has not completed', () => {
    const t = setup({ partitionBufferBytes: 400 });
    fill(t.cluster, 2, 100);
    const seen = tally();
    const violations: string[] = [];
    t.consumer.commits$.subscribe((c) => {
      for (const o of c.offsets)
        if (o.offset > seen.doneUpTo(o.partition))
          violations.push(`${o.partition}@${o.offset} > ${seen.doneUpTo(o.partition)}`);
    });
    t.consumer.messages$
      .pipe(processRecords(() => timer(20, t.clock), { concurrency: 2 }))
      .subscribe((r) => seen.done(r));
    t.clock.advanceTo(3000);
    expect(t.commits.filter((c) => c.trigger === 'auto').length).toBeGreaterThan(20);
    expect(violations).toEqual([]);
    // And commits keep up with the work: the last one is at most a commit interval behind.
    const last = t.commits[t.commits.length - 1].offsets.find((o) => o.partition === 0)?.offset as bigint;
    expect(seen.doneUpTo(0) - last).toBeLessThanOrEqual(6n);
  });

  it('a failed handler errors the stream; the close commit stops at the failed record', () => {
    const t = setup();
    fill(t.cluster, 1, 10);
    const errors: unknown[] = [];
    t.consumer.messages$
      .pipe(
        processRecords((r) => {
          if (r.partition === 0 && r.offset === 4n) throw new Error('bad record');
          return timer(5, t.clock);
        }),
      )
      .subscribe({ error: (e) => errors.push(e) });
    t.clock.advanceTo(1000);
    expect(errors).toEqual([new Error('bad record')]);
    const close = t.commits.find((c) => c.trigger === 'close');
    expect(close?.offsets.find((o) => o.partition === 0)?.offset).toBe(4n);
  });

  it('a plain synchronous subscriber: a record is done when next returns (ack mode auto)', () => {
    const t = setup();
    fill(t.cluster, 1, 5);
    const taken: bigint[] = [];
    t.consumer.messages$.subscribe((r) => taken.push(r.offset));
    t.clock.advanceTo(300);
    expect(taken).toEqual([0n, 1n, 2n, 3n, 4n]);
    expect(t.commits.at(-1)?.offsets.find((o) => o.partition === 0)?.offset).toBe(5n);
  });

  it('an asynchronous stage without the operator takes records as done at once (documented: use processRecords)', () => {
    const t = setup({ partitionBufferBytes: 400 }, 1);
    fill(t.cluster, 1, 100);
    let done = 0;
    t.consumer.messages$.pipe(concatMap(() => timer(20, t.clock))).subscribe(() => done++);
    t.clock.advanceTo(500);
    const committed = t.commits.at(-1)?.offsets[0]?.offset as bigint;
    expect(done).toBeLessThan(30);
    expect(committed).toBe(100n);
  });

  it('ack mode manual: the operator acknowledges each record when done, also behind an asynchronous stage', () => {
    const t = setup({ autoCommit: { intervalMs: 100, ackMode: 'manual' }, partitionBufferBytes: 400 }, 1);
    fill(t.cluster, 1, 100);
    let done = 0;
    t.consumer.messages$
      .pipe(
        mergeMap((r) => timer(1, t.clock).pipe(concatMap(() => [r]))),
        processRecords(() => timer(20, t.clock)),
      )
      .subscribe(() => done++);
    t.clock.advanceTo(1000);
    expect(done).toBeGreaterThan(40);
    const committed = t.commits.at(-1)?.offsets[0]?.offset as bigint;
    expect(committed).toBeLessThanOrEqual(BigInt(done));
    expect(committed).toBeGreaterThan(BigInt(done - 8));
  });
});

describe('one consuming subscriber', () => {
  it('a second subscription to messages$ errors with AlreadySubscribedError; the first keeps every record', () => {
    const t = setup();
    fill(t.cluster, 2, 3);
    const first: string[] = [];
    const errors: Array<{ name: string }> = [];
    t.consumer.messages$.subscribe((r) => first.push(`${r.partition}@${r.offset}`));
    t.consumer.messages$.subscribe({ error: (e) => errors.push(e) });
    t.consumer.partitions$.subscribe({ error: (e) => errors.push(e) });
    t.clock.advanceTo(500);
    expect(errors.map((e) => e.name)).toEqual(['AlreadySubscribedError', 'AlreadySubscribedError']);
    expect(first.sort()).toEqual(['0@0', '0@1', '0@2', '1@0', '1@1', '1@2']);
  });

  it('after the subscriber leaves, a new subscription joins again', () => {
    const t = setup();
    fill(t.cluster, 1, 2);
    const sub = t.consumer.messages$.subscribe();
    t.clock.advanceTo(200);
    sub.unsubscribe();
    t.clock.advanceTo(400);
    const again: bigint[] = [];
    const errors: unknown[] = [];
    t.consumer.messages$.subscribe({ next: (r) => again.push(r.offset), error: (e) => errors.push(e) });
    t.cluster.produce('orders', 0, 'late');
    t.clock.advanceTo(1500);
    expect(errors).toEqual([]);
    expect(again).toEqual([2n]);
  });

  it("a partition's records$ has one subscriber at a time", () => {
    const t = setup({}, 1);
    fill(t.cluster, 1, 2);
    const got: bigint[] = [];
    const errors: Array<{ name: string }> = [];
    t.consumer.partitions$.subscribe((p) => {
      p.records$.subscribe((r) => got.push(r.offset));
      p.records$.subscribe({ error: (e) => errors.push(e) });
    });
    t.clock.advanceTo(300);
    expect(errors.map((e) => e.name)).toEqual(['AlreadySubscribedError']);
    expect(got).toEqual([0n, 1n]);
  });
});
