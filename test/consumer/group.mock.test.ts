import { performance } from 'node:perf_hooks';
import { concatMap, map, mergeMap, type Subscription, timer } from 'rxjs';
import { createConsumer, type ConsumerConfig } from '../../src/consumer';
import type { CommitResult, Consumer, ConsumerEvent, RebalanceEvent } from '../../src/consumer';
import { ErrorCode } from '../../src/protocol/errors';
import { BUILDS } from '../broker/builds';
import { joinGroup, produce, type GroupMember, type ProducedRecord } from '../broker/kcat';
import { startMockCluster, type MockCluster } from '../broker/mock-cluster';
import { waitUntil as waitUntilWithin } from '../support/wait-until';
import { ownedPartitions } from '../support/owned-partitions';

/**
 * Consumer groups over TCP against librdkafka's mock cluster, with `kcat -G` as another member.
 * The mock holds every rebalance after a group's first for its session timeout minus 1 s, hence
 * the short session timeouts here. It also refuses OffsetCommit while it waits for members to
 * rejoin (Kafka accepts them then), so eager members' commits on revoke fail there: duplicates
 * are allowed above the last successful commit of whoever read a partition before.
 */

const OFFSET_COMMIT = 8;
const FIND_COORDINATOR = 10;
const JOIN_GROUP = 11;
const HEARTBEAT = 12;
const TOPIC = 'shared';
const PARTITIONS = 6;

/** One record as a member saw it, with when (performance.now()) the test saw it. */
interface Read {
  readonly reader: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: string | null;
  readonly at: number;
}

/** A successful commit of one partition, with when the test saw it. */
interface Committed {
  readonly member: string;
  readonly partition: number;
  readonly offset: number;
  readonly at: number;
}

/** A kafka-rx member with everything it reported. */
interface Member {
  readonly name: string;
  readonly consumer: Consumer;
  readonly commits: CommitResult[];
  readonly rebalances: RebalanceEvent[];
  readonly events: ConsumerEvent[];
  /** When the test saw each of `events`. */
  readonly eventsAt: number[];
  subscription: Subscription | null;
}

/** The mock cluster answers within milliseconds: 20 s is far beyond any wait below. */
const waitUntil = (what: string, check: () => boolean, timeoutMs = 20000) =>
  waitUntilWithin(what, check, timeoutMs);

function batch(prefix: string, count: number): ProducedRecord[] {
  return Array.from({ length: count }, (_, i) => ({ key: `${prefix}-${i}`, value: `${prefix}-value-${i}` }));
}

/** Partitions a kafka-rx member owns now, from its rebalance events. */
function owned(m: Member): number[] {
  return ownedPartitions(m.rebalances);
}

/** Partitions kcat owns now, from its last `assigned:` or `revoked:` line. */
function kcatOwned(k: GroupMember): number[] {
  const lines = k.stderr().split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    if (/revoked: /.test(lines[i])) return [];
    const match = /assigned: (.*)$/.exec(lines[i]);
    if (match) return [...match[1].matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1])).sort((x, y) => x - y);
  }
  return [];
}

/** True when the owners' partitions are disjoint, each has some, and together they are every partition. */
function split(...owners: number[][]): boolean {
  const all = owners.flat();
  return owners.every((o) => o.length > 0) && all.length === PARTITIONS && new Set(all).size === PARTITIONS;
}

describe.each(BUILDS)('consumer groups against the %s librdkafka mock cluster over TCP', (build) => {
  let cluster: MockCluster;
  const members: Member[] = [];
  const kcats: GroupMember[] = [];
  const reads: Read[] = [];
  const committed: Committed[] = [];
  let stamping: ReturnType<typeof setInterval> | undefined;

  beforeEach(async () => {
    cluster = await startMockCluster({
      build,
      brokers: 3,
      topics: [{ name: TOPIC, partitions: PARTITIONS }],
    });
    if (build === 'new') await cluster.setGroupInitialRebalanceDelay(0);
  });
  afterEach(async () => {
    clearInterval(stamping);
    if (process.env.GROUP_DEBUG) {
      for (const m of members)
        console.log(
          m.name,
          JSON.stringify(
            m.events
              .filter(
                (e) =>
                  e.type === 'membership' ||
                  e.type === 'join' ||
                  e.type === 'sync' ||
                  e.type === 'leave' ||
                  e.type === 'error' ||
                  e.type === 'coordinator-dead' ||
                  (e.type === 'heartbeat' && e.errorCode !== 0),
              )
              .map((e) => [
                e.type,
                (e as any).phase ?? (e as any).generationId,
                (e as any).reason ?? (e as any).errorCode ?? (e as any).error?.message,
              ]),
          ),
        );
      for (const m of members)
        console.log(
          m.name,
          'commits',
          JSON.stringify(
            m.commits.map((c) => [
              c.trigger,
              c.error?.name,
              c.offsets.map((o) => `${o.partition}:${o.offset}`).join(','),
            ]),
          ),
        );
      for (const k of kcats) console.log(k.stderr());
    }
    await Promise.all(members.splice(0).map((m) => m.consumer.close()));
    await Promise.all(kcats.splice(0).map((k) => k.stop()));
    await cluster?.stop();
    reads.length = 0;
    committed.length = 0;
  });

  function member(name: string, group: string, overrides: Partial<ConsumerConfig> = {}): Member {
    const consumer = createConsumer({
      brokers: cluster.bootstrap.split(','),
      groupId: group,
      topics: [TOPIC],
      fromBeginning: true,
      // Each rebalance after the first is held for this minus 1 s (see above).
      sessionTimeoutMs: 3000,
      heartbeatIntervalMs: 500,
      autoCommit: { intervalMs: 500 },
      assignors: ['range'],
      fetch: { maxWaitMs: 100 },
      retryBackoffMs: 50,
      ...overrides,
    });
    const m: Member = {
      name,
      consumer,
      commits: [],
      rebalances: [],
      events: [],
      eventsAt: [],
      subscription: null,
    };
    consumer.commits$.subscribe((c) => {
      m.commits.push(c);
      if (!c.error)
        for (const o of c.offsets)
          committed.push({
            member: name,
            partition: o.partition,
            offset: Number(o.offset),
            at: performance.now(),
          });
    });
    consumer.rebalances$.subscribe((r) => m.rebalances.push(r));
    consumer.events$.subscribe((e) => {
      m.events.push(e);
      m.eventsAt.push(performance.now());
    });
    members.push(m);
    return m;
  }

  function consume(m: Member): void {
    m.subscription = m.consumer.messages$.subscribe((r) =>
      reads.push({
        reader: m.name,
        partition: r.partition,
        offset: Number(r.offset),
        key: r.key?.toString() ?? null,
        at: performance.now(),
      }),
    );
  }

  /** A `kcat -G` member; what it prints is stamped every 20 ms. */
  function kcat(group: string, sessionTimeoutMs: number): GroupMember {
    const k = joinGroup({
      bootstrap: cluster.bootstrap,
      build,
      group,
      topics: [TOPIC],
      extraArgs: [
        '-X',
        `session.timeout.ms=${sessionTimeoutMs}`,
        '-X',
        'heartbeat.interval.ms=500',
        '-X',
        'auto.commit.interval.ms=500',
      ],
    });
    kcats.push(k);
    let stamped = 0;
    stamping = setInterval(() => {
      for (; stamped < k.records.length; stamped++) {
        const r = k.records[stamped];
        reads.push({
          reader: 'kcat',
          partition: r.partition,
          offset: r.offset,
          key: r.key,
          at: performance.now(),
        });
      }
    }, 20);
    return k;
  }

  const keysRead = () => new Set(reads.map((r) => r.key));
  const lastRead = (reader: string, p: number) =>
    Math.max(-1, ...reads.filter((r) => r.reader === reader && r.partition === p).map((r) => r.offset));
  const lastCommitted = (member: string, p: number) =>
    Math.max(0, ...committed.filter((c) => c.member === member && c.partition === p).map((c) => c.offset));

  /**
   * At least once, and no more than that: every record produced was read, and a record read again
   * was never below an offset that a kafka-rx member had committed for its partition before.
   */
  function expectAtLeastOnce(produced: readonly ProducedRecord[]): number {
    expect(produced.filter((p) => !keysRead().has(p.key))).toEqual([]);
    const firstRead = new Map<string, Read>();
    const again: Read[] = [];
    for (const r of [...reads].sort((x, y) => x.at - y.at)) {
      const key = `${r.partition}@${r.offset}`;
      if (firstRead.has(key)) again.push(r);
      else firstRead.set(key, r);
    }
    const belowCommit = again.filter((r) =>
      committed.some((c) => c.partition === r.partition && c.offset > r.offset && c.at < r.at - 20),
    );
    expect(belowCommit).toEqual([]);
    return again.length;
  }

  it('two kafka-rx consumers and kcat share the partitions; one leaves and the others go on from its commits', async () => {
    const group = `sharing-${build}`;
    const before = batch('before', 60);
    await produce({ bootstrap: cluster.bootstrap, build, topic: TOPIC, records: before });

    // a reads everything alone first and commits it: the others must start from there.
    const a = member('a', group);
    consume(a);
    await waitUntil(
      'a to read and commit everything',
      () =>
        reads.length === before.length &&
        [...Array(PARTITIONS).keys()].every((p) => lastCommitted('a', p) > lastRead('a', p)),
    );

    // b joins, then kcat while the group waits for members: one rebalance takes in both. The mock
    // makes the first member to join the leader, so a kafka-rx member leads throughout.
    const b = member('b', group);
    consume(b);
    await waitUntil('b to start a rebalance', () =>
      a.events.some((e) => e.type === 'heartbeat' && e.errorCode === ErrorCode.REBALANCE_IN_PROGRESS),
    );
    const k = kcat(group, 3000);
    await waitUntil('a, b and kcat to split the partitions', () => split(owned(a), owned(b), kcatOwned(k)));
    expect(owned(a)).toHaveLength(2);
    // Nothing a committed was read again.
    expect(reads.length).toBe(before.length);

    const during = batch('during', 60);
    await produce({ bootstrap: cluster.bootstrap, build, topic: TOPIC, records: during });
    await waitUntil(
      'the records produced during to be read',
      () => keysRead().size === before.length + during.length,
    );
    // Let b and kcat auto-commit them (every 500 ms), so that a's partitions are the only ones in question.
    await waitUntil('b to commit what it read', () =>
      owned(b).every((p) => lastCommitted('b', p) > lastRead('b', p)),
    );
    // kcat commits every 500 ms too; nothing shows when, so give it twice that.
    await new Promise((resolve) => setTimeout(resolve, 1000));

    // a closes: it commits what it read and leaves; b and kcat take its partitions over.
    const aPartitions = owned(a);
    a.subscription?.unsubscribe();
    await a.consumer.close();
    const closedAt = performance.now();
    const closeCommit = a.commits.find((c) => c.trigger === 'close');
    expect(closeCommit?.error).toBeUndefined();
    expect(closeCommit?.offsets.map((o) => [o.partition, Number(o.offset)])).toEqual(
      aPartitions.map((p) => [p, lastRead('a', p) + 1]),
    );
    expect(a.events.some((e) => e.type === 'leave')).toBe(true);
    await waitUntil("b and kcat to take over a's partitions", () => split(owned(b), kcatOwned(k)));

    const after = batch('after', 60);
    await produce({ bootstrap: cluster.bootstrap, build, topic: TOPIC, records: after });
    const all = [...before, ...during, ...after];
    await waitUntil('every record to be read', () => keysRead().size === all.length);

    // a's partitions went on exactly where its close commit left them.
    for (const o of closeCommit!.offsets) {
      const next = reads.filter((r) => r.partition === o.partition && r.at > closedAt);
      if (next.length > 0) expect(Math.min(...next.map((r) => r.offset))).toBe(Number(o.offset));
    }
    const duplicates = expectAtLeastOnce(all);
    // At most what was produced since a's last commit can be read twice.
    expect(duplicates).toBeLessThanOrEqual(after.length);
  }, 45000);

  it('a subscriber slower than the session timeout keeps its membership: heartbeats go on while it works', async () => {
    const group = `slow-${build}`;
    const sessionTimeoutMs = 3000;
    const handlerMs = 4000;
    await produce({
      bootstrap: cluster.bootstrap,
      build,
      topic: TOPIC,
      records: batch('slow', 2),
      partition: 0,
    });
    const m = member('slow', group, { sessionTimeoutMs, heartbeatIntervalMs: 500 });
    const handled: string[] = [];
    m.subscription = m.consumer.partitions$
      .pipe(
        mergeMap((p) => p.records$),
        concatMap((r) =>
          timer(handlerMs).pipe(
            map(() => {
              handled.push(r.key?.toString() ?? '');
            }),
          ),
        ),
      )
      .subscribe();
    await waitUntil('the partitions to be assigned', () => owned(m).length === PARTITIONS);
    const generation = m.consumer.groupMetadata().generationId;
    if (build === 'new') await cluster.startTracking();
    const from = performance.now();
    await waitUntil('both records to be handled', () => handled.length === 2, 2 * handlerMs + 5000);
    const to = performance.now();
    const tracked = build === 'new' ? (await cluster.requests()).filter((r) => r.apiKey === HEARTBEAT) : [];

    expect(handled).toEqual(['slow-0', 'slow-1']);
    // Still the same member of the same generation: no rebalance, no error answer to a heartbeat.
    expect(m.consumer.groupMetadata().generationId).toBe(generation);
    expect(m.rebalances.map((r) => r.type)).toEqual(['assigned']);
    const beats = m.events.flatMap((e, i) => (e.type === 'heartbeat' ? [{ ...e, at: m.eventsAt[i] }] : []));
    expect(beats.filter((e) => e.errorCode !== 0 || e.generationId !== generation)).toEqual([]);
    // Heartbeats went on while the handler held each record longer than the session timeout,
    // never leaving the coordinator a session timeout without one.
    const whileSlow = beats.filter((e) => e.at >= from && e.at <= to);
    expect(whileSlow.length).toBeGreaterThanOrEqual(sessionTimeoutMs / 500);
    const gaps = whileSlow.slice(1).map((e, i) => e.at - whileSlow[i].at);
    expect(Math.max(...gaps)).toBeLessThan(sessionTimeoutMs);
    if (build === 'new') {
      // The broker's own count of the Heartbeat requests it received meanwhile.
      expect(tracked.length).toBeGreaterThanOrEqual(sessionTimeoutMs / 500);
      const brokerGaps = tracked.slice(1).map((r, i) => (r.timestampUs - tracked[i].timestampUs) / 1000);
      expect(Math.max(...brokerGaps)).toBeLessThan(sessionTimeoutMs);
    }
    // The coordinator still knows the member: its commit on close is accepted.
    m.subscription.unsubscribe();
    await m.consumer.close();
    expect(m.commits.filter((c) => c.trigger === 'close').map((c) => c.error?.name)).toEqual([undefined]);
  }, 30000);

  it('survives errors pushed on JoinGroup, Heartbeat and OffsetCommit: stable again, consuming, nothing lost', async () => {
    const group = `errors-${build}`;
    const membership = (m: Member) =>
      m.events.flatMap((e) => (e.type === 'membership' ? [`${e.phase}: ${e.reason}`] : []));
    const heartbeatCodes = (m: Member) =>
      m.events.flatMap((e) => (e.type === 'heartbeat' ? [e.errorCode] : []));
    const deaths = (m: Member) => m.events.filter((e) => e.type === 'coordinator-dead').length;
    const stable = (m: Member) => membership(m).at(-1)?.startsWith('stable') === true;

    // JoinGroup: the coordinator is not available, then it does not know the member. The mock
    // writes these answers with null where Kafka writes '' (leader, memberId), which our decoder
    // refuses, so what the consumer sees is a failed request: it retries after a backoff.
    if (build === 'new') await cluster.startTracking();
    await cluster.pushErrors(JOIN_GROUP, [ErrorCode.COORDINATOR_NOT_AVAILABLE, ErrorCode.UNKNOWN_MEMBER_ID]);
    const m = member('m', group, { sessionTimeoutMs: 3000, heartbeatIntervalMs: 500 });
    consume(m);
    const first = batch('first', 30);
    await produce({ bootstrap: cluster.bootstrap, build, topic: TOPIC, records: first });
    await waitUntil('the first records to be read', () => reads.length === first.length);
    expect(membership(m).filter((r) => r.startsWith('joining'))).toHaveLength(3);
    expect(m.events.filter((e) => e.type === 'join')).toHaveLength(1);
    if (build === 'new')
      expect((await cluster.requests()).filter((r) => r.apiKey === JOIN_GROUP)).toHaveLength(3);
    const generation = m.consumer.groupMetadata().generationId;

    // Heartbeat: the group is rebalancing; the member commits, rejoins and gets a new generation.
    await cluster.pushErrors(HEARTBEAT, [ErrorCode.REBALANCE_IN_PROGRESS]);
    await waitUntil(
      'a new generation',
      () => m.consumer.groupMetadata().generationId > generation && stable(m),
    );
    const rejoined = m.consumer.groupMetadata().generationId;
    expect(m.rebalances.map((r) => r.type)).toEqual(['assigned', 'revoked', 'assigned']);
    expect(m.commits.filter((c) => c.trigger === 'revoke').map((c) => c.error?.name)).toEqual([undefined]);

    // Heartbeat: the coordinator moved, then is not available: found again, membership unchanged.
    const deathsBefore = deaths(m);
    await cluster.pushErrors(HEARTBEAT, [ErrorCode.NOT_COORDINATOR, ErrorCode.COORDINATOR_NOT_AVAILABLE]);
    await waitUntil('heartbeats to succeed after the coordinator errors', () => {
      const codes = heartbeatCodes(m);
      const at = codes.lastIndexOf(ErrorCode.COORDINATOR_NOT_AVAILABLE);
      return at >= 0 && codes.slice(at + 1).includes(0);
    });
    const codes = heartbeatCodes(m);
    expect(
      codes.slice(codes.indexOf(ErrorCode.NOT_COORDINATOR), codes.indexOf(ErrorCode.NOT_COORDINATOR) + 2),
    ).toEqual([ErrorCode.NOT_COORDINATOR, ErrorCode.COORDINATOR_NOT_AVAILABLE]);
    expect(deaths(m)).toBeGreaterThanOrEqual(deathsBefore + 2);
    expect(m.consumer.groupMetadata().generationId).toBe(rejoined);
    expect(m.rebalances).toHaveLength(3);

    // OffsetCommit: a retriable error shows on commits$, and a later auto-commit succeeds.
    const commitsBefore = m.commits.length;
    await cluster.pushErrors(OFFSET_COMMIT, [ErrorCode.COORDINATOR_LOAD_IN_PROGRESS]);
    const second = batch('second', 30);
    await produce({ bootstrap: cluster.bootstrap, build, topic: TOPIC, records: second });
    await waitUntil('a failed commit, then a successful one covering the second records', () => {
      const later = m.commits.slice(commitsBefore);
      const failed = later.findIndex((c) => c.error?.name === 'COORDINATOR_LOAD_IN_PROGRESS');
      return (
        failed >= 0 &&
        later.slice(failed + 1).some((c) => !c.error && c.offsets.length > 0) &&
        reads.length === first.length + second.length
      );
    });
    // NOT_COORDINATOR on a commit: found again and retried within the same commit, which succeeds.
    if (build === 'new') await cluster.clearRequests();
    const commitsBeforeMove = m.commits.length;
    await cluster.pushErrors(OFFSET_COMMIT, [ErrorCode.NOT_COORDINATOR]);
    await waitUntil('the next commit', () => m.commits.length > commitsBeforeMove);
    expect(m.commits[commitsBeforeMove].error).toBeUndefined();
    if (build === 'new') {
      // The refused OffsetCommit, FindCoordinator, then the same commit again.
      const sent = (await cluster.requests())
        .filter((r) => r.apiKey === OFFSET_COMMIT || r.apiKey === FIND_COORDINATOR)
        .map((r) => r.apiKey);
      const found = sent.indexOf(FIND_COORDINATOR);
      expect(sent.slice(found - 1, found + 2)).toEqual([OFFSET_COMMIT, FIND_COORDINATOR, OFFSET_COMMIT]);
    }

    // Heartbeat: the coordinator no longer knows the member: its partitions are lost (not
    // committed) and it joins afresh under a new member id.
    const memberId = m.consumer.groupMetadata().memberId;
    await cluster.pushErrors(HEARTBEAT, [ErrorCode.UNKNOWN_MEMBER_ID]);
    await waitUntil(
      'a new generation after UNKNOWN_MEMBER_ID',
      () => m.consumer.groupMetadata().generationId > rejoined && stable(m),
    );
    expect(m.rebalances.slice(3).map((r) => r.type)).toEqual(['lost', 'assigned']);
    expect(m.consumer.groupMetadata().memberId).not.toBe(memberId);
    const last = m.consumer.groupMetadata().generationId;

    const third = batch('third', 30);
    await produce({ bootstrap: cluster.bootstrap, build, topic: TOPIC, records: third });
    await waitUntil(
      'the third records to be read',
      () => reads.length >= first.length + second.length + third.length,
    );
    expect(stable(m)).toBe(true);
    expect(m.consumer.groupMetadata().generationId).toBe(last);
    // Every commit before the rebalances succeeded, so nothing was read twice.
    expectAtLeastOnce([...first, ...second, ...third]);
    expect(reads).toHaveLength(first.length + second.length + third.length);
  }, 45000);
});
