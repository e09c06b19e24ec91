import { map, timer } from 'rxjs';
import type { ConsumerConfig } from '../../src/consumer/config';
import { ErrorCode } from '../../src/protocol/errors';
import { encodeRecordBatch } from '../../src/protocol/records';
import type { Message } from '../../src/protocol/spec';
import { assignmentBytes } from '../support/scripted-consumer-cluster';
import { groupTimings, scriptedConsumer } from '../support/scripted-consumer';

// The order in which a member gives partitions up, step by step: halt them (nothing more is
// delivered, a fetch in flight is dropped), commit their offsets, wait for the answer, and only
// then complete their partitions$ streams and emit `revoked`. `lost` skips the commit.

/** Virtual time at which the rebalance is started (by the answer to the heartbeat after it). */
const REBALANCE_FROM = 2000;
/** How long the coordinator takes to answer the revoke commit. */
const COMMIT_TAKES = 1000;
/** A Fetch sent before the rebalance whose answer arrives in the middle of the revoke. */
const FETCH_TAKES = 1500;

function setup(overrides: Partial<ConsumerConfig> = {}) {
  const { clock, cluster, consumer } = scriptedConsumer({
    ...groupTimings,
    autoCommit: { intervalMs: 60000 },
    ...overrides,
  });
  // Every step, with its virtual time, in the order it happened.
  const steps: string[] = [];
  const step = (s: string) => steps.push(`${clock.now()} ${s}`);
  consumer.partitions$.subscribe((p) =>
    p.records$.subscribe({
      next: (r) => step(`record ${r.partition}@${r.offset}`),
      complete: () => step(`complete ${p.partition}`),
    }),
  );
  consumer.commits$.subscribe((c) =>
    step(`commit answered ${c.trigger} ${c.offsets.map((o) => `${o.partition}@${o.offset}`).join(',')}`),
  );
  consumer.rebalances$.subscribe((r) =>
    step(`${r.type} ${r.partitions.map((tp) => tp.partition).join(',')}`),
  );
  return { clock, cluster, consumer, steps, step };
}

type Setup = ReturnType<typeof setup>;

/** Partition 0 has a0, a1, consumed before the rebalance. */
function consumeFirstRecords(t: Setup): void {
  t.cluster.produce('orders', 0, 'a0', 'a1');
  t.clock.advanceTo(REBALANCE_FROM);
}

/**
 * The next Fetch (sent before the rebalance) brings b0, b1 of partition 1 only after
 * FETCH_TAKES: its answer lands while the revoke commit waits. A halted partition drops it.
 */
function fetchInFlight(t: Setup): void {
  t.clock.advanceTo(REBALANCE_FROM);
  t.cluster.produce('orders', 1, 'b0', 'b1');
  t.cluster.once('Fetch', (b: Message) => {
    t.step('fetch sent');
    const records = encodeRecordBatch(
      ['b0', 'b1'].map((v) => ({ value: Buffer.from(v), timestamp: 1000 })),
      { baseOffset: 0n },
    );
    const response = {
      throttleTimeMs: 0,
      errorCode: 0,
      sessionId: b.sessionId === 0 && b.sessionEpoch === 0 ? 99 : (b.sessionId as number),
      responses: [
        {
          topic: 'orders',
          partitions: [
            {
              partitionIndex: 1,
              errorCode: 0,
              highWatermark: 2n,
              lastStableOffset: 2n,
              logStartOffset: 0n,
              abortedTransactions: null,
              preferredReadReplica: -1,
              records,
            },
          ],
        },
      ],
    };
    return timer(FETCH_TAKES, t.clock).pipe(map(() => response));
  });
}

/** The next OffsetCommit is answered `takes` ms after it is sent. */
function slowCommit(t: Setup, takes = COMMIT_TAKES): void {
  t.cluster.once('OffsetCommit', (b: Message) => {
    t.step(
      `commit sent ${(b.topics as Message[])
        .flatMap((tp) => (tp.partitions as Message[]).map((p) => `${p.partitionIndex}@${p.committedOffset}`))
        .join(',')}`,
    );
    const response = {
      topics: (b.topics as Message[]).map((tp) => ({
        name: tp.name,
        partitions: (tp.partitions as Message[]).map((p) => ({
          partitionIndex: p.partitionIndex,
          errorCode: 0,
        })),
      })),
    };
    return timer(takes, t.clock).pipe(map(() => response));
  });
}

/** The steps from the rebalance's start until partitions are assigned again. */
function revokeSteps(t: Setup): string[] {
  const after = t.steps.filter((s) => Number(s.split(' ')[0]) > REBALANCE_FROM && !s.includes('fetch sent'));
  const assigned = after.findIndex((s) => s.includes(' assigned '));
  return assigned < 0 ? after : after.slice(0, assigned);
}

describe('the order of a revoke (virtual time)', () => {
  it('eager: halt, commit, wait for the answer, then complete the streams and emit revoked; a fetch in flight is dropped', () => {
    const t = setup();
    consumeFirstRecords(t);
    fetchInFlight(t);
    slowCommit(t);
    t.cluster.once('Heartbeat', () => ({ errorCode: ErrorCode.REBALANCE_IN_PROGRESS }));
    t.clock.advanceTo(10000);

    const hb = t.cluster.requests('Heartbeat').find((r) => r.at > REBALANCE_FROM)!.at;
    const answered = hb + 1;
    const fetchAnswered =
      t.cluster.requests('Fetch').find((r) => r.at > REBALANCE_FROM - 600)!.at + 1 + FETCH_TAKES;
    // The fetch's answer comes while the commit waits, and nothing of it is delivered.
    expect(fetchAnswered).toBeGreaterThan(answered);
    expect(fetchAnswered).toBeLessThan(answered + COMMIT_TAKES);
    const join = t.cluster.requests('JoinGroup').find((r) => r.at > REBALANCE_FROM)!.at;
    expect(revokeSteps(t)).toEqual([
      `${answered} commit sent 0@2,1@0`,
      `${answered + 1 + COMMIT_TAKES} commit answered revoke 0@2,1@0`,
      `${answered + 1 + COMMIT_TAKES} complete 0`,
      `${answered + 1 + COMMIT_TAKES} complete 1`,
      `${answered + 1 + COMMIT_TAKES} revoked 0,1`,
    ]);
    // The next generation fetches b0, b1 from the committed offset: delivered once, after the revoke.
    expect(t.steps.filter((s) => s.includes('record 1@'))).toEqual([
      expect.stringMatching(/^\d+ record 1@0$/),
      expect.stringMatching(/^\d+ record 1@1$/),
    ]);
    expect(Number(t.steps.find((s) => s.includes('record 1@0'))!.split(' ')[0])).toBeGreaterThan(join);
  });

  it('cooperative: partitions kept during the rebalance; only those that move are halted, committed, then revoked', () => {
    const t = setup({ assignors: ['cooperative-sticky'] });
    consumeFirstRecords(t);
    fetchInFlight(t);
    t.cluster.once('Heartbeat', () => ({ errorCode: ErrorCode.REBALANCE_IN_PROGRESS }));
    // The new generation leaves this member partition 0 only: partition 1 moves away.
    t.cluster.once('SyncGroup', () => ({ errorCode: 0, assignment: assignmentBytes('orders', [0]) }));
    t.cluster.once('SyncGroup', () => ({ errorCode: 0, assignment: assignmentBytes('orders', [0]) }));
    // The commit on rejoining is quick; the one for the partition that moves is slow.
    slowCommit(t, 0);
    slowCommit(t);
    t.clock.advanceTo(10000);

    const answered = t.cluster.requests('Heartbeat').find((r) => r.at > REBALANCE_FROM)!.at + 1;
    const synced = t.cluster.requests('SyncGroup').find((r) => r.at > REBALANCE_FROM)!.at + 1;
    const fetchAnswered =
      t.cluster.requests('Fetch').find((r) => r.at > REBALANCE_FROM - 600)!.at + 1 + FETCH_TAKES;
    // The fetch's answer comes while the revoke commit waits, and nothing of it is delivered.
    expect(fetchAnswered).toBeGreaterThan(synced);
    expect(fetchAnswered).toBeLessThan(synced + COMMIT_TAKES);
    expect(
      t.steps.filter((s) => Number(s.split(' ')[0]) > REBALANCE_FROM && !s.includes('fetch sent')),
    ).toEqual([
      `${answered} commit sent 0@2,1@0`,
      `${answered + 1} commit answered revoke 0@2,1@0`,
      `${synced} commit sent 1@0`,
      `${synced + 1 + COMMIT_TAKES} commit answered revoke 1@0`,
      `${synced + 1 + COMMIT_TAKES} complete 1`,
      `${synced + 1 + COMMIT_TAKES} revoked 1`,
    ]);
  });

  it('lost: halted, no commit, then the streams complete and lost is emitted', () => {
    const t = setup();
    consumeFirstRecords(t);
    fetchInFlight(t);
    t.cluster.once('Heartbeat', () => ({ errorCode: ErrorCode.ILLEGAL_GENERATION }));
    t.clock.advanceTo(REBALANCE_FROM + 3000);

    const lostAt = t.cluster.requests('Heartbeat').find((r) => r.at > REBALANCE_FROM)!.at + 1;
    expect(revokeSteps(t)).toEqual([`${lostAt} complete 0`, `${lostAt} complete 1`, `${lostAt} lost 0,1`]);
    expect(t.cluster.requests('OffsetCommit')).toEqual([]);
    // Nothing committed: the next generation gets a0, a1 again, and b0, b1 once.
    expect(t.steps.filter((s) => s.includes('record')).map((s) => s.split(' ').slice(1).join(' '))).toEqual([
      'record 0@0',
      'record 0@1',
      'record 1@0',
      'record 1@1',
      'record 0@0',
      'record 0@1',
    ]);
  });
});
