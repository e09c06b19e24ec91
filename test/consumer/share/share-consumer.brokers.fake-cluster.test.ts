import { TestScheduler } from 'rxjs/testing';
import { type ShareConsumerConfig, type ShareRecord } from '../../../src/consumer';
import { createFakeCluster, type FakeCluster } from '../../../src/testing';
import { watchedShareConsumer, type WatchedShareConsumer } from '../../support/watched-share-consumer';

/**
 * Share consumers on a three-broker fake cluster, in virtual time: a share session per broker
 * leading assigned partitions, and a leader that goes away while records are being consumed (what
 * test/broker/kafka/judges/broker-faults.test.ts checks on a real three-broker Kafka).
 */

const PARTITIONS = 6;
const PER_PARTITION = 100;

interface Member extends WatchedShareConsumer {
  /** `partition:offset` of each record handed out. */
  readonly read: string[];
  recordsError?: unknown;
}

function member(
  cluster: FakeCluster,
  scheduler: TestScheduler,
  extra: Partial<ShareConsumerConfig> = {},
): Member {
  const watched = watchedShareConsumer(cluster, scheduler, {
    maxRecords: 20,
    maxWaitMs: 200,
    retryBackoffMs: 100,
    ...extra,
  });
  return { ...watched, read: [] };
}

/** Subscribes records$ at `at` and unsubscribes (closing the member) at `until`. */
function run(scheduler: TestScheduler, m: Member, at: number, until: number): void {
  scheduler.schedule(() => {
    const sub = m.consumer.records$.subscribe({
      next: (r: ShareRecord) => m.read.push(`${r.partition}:${r.offset}`),
      error: (error: unknown) => (m.recordsError = error),
    });
    scheduler.schedule(() => sub.unsubscribe(), until - at);
  }, at);
}

/** Appends `count` records to every partition, one per partition every `everyMs` from `at`. */
function produceSpread(
  scheduler: TestScheduler,
  cluster: FakeCluster,
  at: number,
  everyMs: number,
): string[] {
  const written: string[] = [];
  for (let i = 0; i < PER_PARTITION; i++)
    for (let p = 0; p < PARTITIONS; p++) {
      written.push(`${p}:${i}`);
      scheduler.schedule(() => cluster.append('t', p, [{ value: `${p}-${i}` }]), at + i * everyMs);
    }
  return written;
}

/** Two members of group 'g', each reading from 0 until `until`. */
const twoMembers = (scheduler: TestScheduler, cluster: FakeCluster, until: number): Member[] =>
  [0, 1].map(() => {
    const m = member(cluster, scheduler);
    run(scheduler, m, 0, until);
    return m;
  });

/** The entries of `read` that came again after their first time. */
function repeats(read: readonly string[]): string[] {
  const seen = new Set<string>();
  return read.filter((r) => (seen.has(r) ? true : (seen.add(r), false)));
}

const accepted = (members: readonly Member[]): string[] =>
  members.flatMap((m) =>
    m.acks.flatMap((a) =>
      a.records
        .filter((r) => r.type === 'accept' && r.error === undefined)
        .map((r) => `${r.partition}:${r.offset}`),
    ),
  );

/** Asserts that each written record was read and accepted, at least once; returns what was read. */
function expectEachReadAndAccepted(members: readonly Member[], written: readonly string[]): string[] {
  const read = members.flatMap((m) => m.read);
  expect([...new Set(read)].sort()).toEqual([...written].sort());
  expect([...new Set(accepted(members))].sort()).toEqual([...written].sort());
  return read;
}

const fetchedFrom = (members: readonly Member[]): number[] => [
  ...new Set(
    members.flatMap((m) => m.events.flatMap((e) => (e.type === 'fetch' ? [e.broker.nodeId ?? -1] : []))),
  ),
];

function threeBrokers(scheduler: TestScheduler): FakeCluster {
  return createFakeCluster({
    brokers: 3,
    topics: { t: PARTITIONS },
    clock: scheduler,
    shareAutoOffsetReset: 'earliest',
    shareRecordLockDurationMs: 15000,
  });
}

/**
 * Two members read for `until` ms of virtual time from three brokers while every partition gets a
 * record each 20 ms (produceSpread); `meanwhile` schedules what else happens in that run.
 */
function twoMembersOnSpread(
  until: number,
  meanwhile: (scheduler: TestScheduler, cluster: FakeCluster, members: readonly Member[]) => void = () => {},
): { members: Member[]; written: string[] } {
  const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
  let members: Member[] = [];
  let written: string[] = [];
  scheduler.run(() => {
    const cluster = threeBrokers(scheduler);
    written = produceSpread(scheduler, cluster, 0, 20);
    members = twoMembers(scheduler, cluster, until);
    meanwhile(scheduler, cluster, members);
  });
  return { members, written };
}

describe('share consumers on a three-broker fake cluster, in virtual time', () => {
  it('two members read 600 records of six partitions led by three brokers: each once, through a share session per broker', () => {
    const { members, written } = twoMembersOnSpread(20000);
    const read = members.flatMap((m) => m.read);
    expect([...read].sort()).toEqual([...written].sort());
    expect([...accepted(members)].sort()).toEqual([...written].sort());
    expect(fetchedFrom(members).sort()).toEqual([0, 1, 2]);
    for (const m of members) expect(m.recordsError).toBeUndefined();
  });

  it('a leader (and the group coordinator) goes down while the members consume: they carry on with the new leaders, every record accepted, duplicates only from the dead leader', () => {
    // Partition p is led by broker p % 3: broker 1 leads partitions 1 and 4, and coordinates group 'g'.
    const VICTIM = 1;
    const victimPartitions = [1, 4];
    let fetchedFromVictim = 0;
    const { members, written } = twoMembersOnSpread(60000, (scheduler, cluster, members) =>
      scheduler.schedule(() => {
        fetchedFromVictim = members
          .flatMap((m) => m.events)
          .filter((e) => e.type === 'fetch' && e.broker.nodeId === VICTIM && e.records > 0).length;
        void cluster.brokerDown(VICTIM);
      }, 700),
    );
    expect(fetchedFromVictim).toBeGreaterThan(0);
    const twice = repeats(expectEachReadAndAccepted(members, written));
    expect(
      [...new Set(twice.map((r) => Number(r.split(':')[0])))].filter((p) => !victimPartitions.includes(p)),
    ).toEqual([]);
    for (const m of members) expect(m.recordsError).toBeUndefined();
  });

  it('a partition moves to another broker while the members consume: the old session forgets it, the new leader serves it, every record accepted', () => {
    const { members, written } = twoMembersOnSpread(60000, (scheduler, cluster) =>
      // Partition 0 is led by broker 0 until then.
      scheduler.schedule(() => cluster.moveLeader('t', 0, 2), 700),
    );
    const twice = repeats(expectEachReadAndAccepted(members, written));
    expect(twice.filter((r) => !r.startsWith('0:'))).toEqual([]);
    const errors = members.flatMap((m) =>
      m.events.flatMap((e) => (e.type === 'error' ? [e.error.name] : [])),
    );
    // One NOT_LEADER_OR_FOLLOWER per member at most: after it the old leader's session no longer names the partition.
    expect(errors.filter((name) => name !== 'NOT_LEADER_OR_FOLLOWER')).toEqual([]);
    expect(errors.length).toBeLessThanOrEqual(members.length);
    for (const m of members) expect(m.recordsError).toBeUndefined();
  });

  it('maxRecords bounds what a member holds across all its brokers, not per broker', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    let m: Member | undefined;
    let held = -1;
    scheduler.run(() => {
      const cluster = threeBrokers(scheduler);
      for (let p = 0; p < PARTITIONS; p++)
        cluster.append(
          't',
          p,
          Array.from({ length: 20 }, (_, i) => ({ value: `${p}-${i}` })),
        );
      // A worker that never settles: it holds what it is given until the lock runs out.
      m = member(cluster, scheduler, { acknowledgementMode: 'explicit', maxRecords: 10 });
      run(scheduler, m, 0, 5000);
      scheduler.schedule(() => (held = m!.read.length), 4000);
    });
    expect(held).toBe(10);
    // Taken from more than one broker: the bound is shared, not given to the first only.
    expect(fetchedFrom([m!]).length).toBeGreaterThan(1);
  });
});
