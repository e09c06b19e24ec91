import { performance } from 'node:perf_hooks';
import { createAdmin, type Admin } from '../../src/admin';
import { createConsumer, type ConsumerConfig } from '../../src/consumer';
import { keyedRecords, produce } from '../broker/kcat';
import { startMockCluster, type MockCluster } from '../broker/mock-cluster';
import { waitUntil as waitUntilWithin } from '../support/wait-until';

/**
 * `groupProtocol: 'consumer'` (KIP-848) over TCP against librdkafka 2.12's mock cluster, which
 * implements ConsumerGroupHeartbeat v1 (the `new` build only; 2.0.2 has no KIP-848). Kafka 4's
 * own coordinator is the judge in test/broker/kafka/judges/consumer-protocol.test.ts; this is a
 * second, independent coordinator. The mock keeps a member that does not leave until its session
 * times out, so a quick takeover after `close()` shows the leave heartbeat (epoch -1) arrived.
 */

const TOPIC = 'kip848';
const PARTITIONS = 4;
const CONSUMER_GROUP_HEARTBEAT = 68;
/** Far above every wait below: a member that did not leave would hold its partitions this long. */
const SESSION_TIMEOUT_MS = 45000;

interface Member {
  readonly name: string;
  close(): Promise<void>;
  owned(): number[];
  /** `partition:offset` of every record handed to the application, in order. */
  readonly read: string[];
  /** Highest offset + 1 successfully committed, per partition. */
  readonly committed: Map<number, bigint>;
  readonly joins: { memberId: string; generationId: number }[];
  readonly errors: string[];
  readonly leaves: string[];
  /** Topics of every partition ever assigned. */
  readonly assignedTopics: Set<string>;
}

/** The mock cluster answers within milliseconds: 20 s is far beyond any wait below. */
const waitUntil = (what: string, check: () => boolean, timeoutMs = 20000) =>
  waitUntilWithin(what, check, timeoutMs);

/** `partition:offset` for offsets [0, count) of each partition. */
function expected(counts: Map<number, number>): string[] {
  return [...counts].flatMap(([p, n]) => Array.from({ length: n }, (_, o) => `${p}:${o}`)).sort();
}

/**
 * `partition:endOffset` for every partition, in partition order: what a complete commit holds
 * (-1, nothing committed, for a partition without records).
 */
function ends(counts: Map<number, number>): string[] {
  return Array.from({ length: PARTITIONS }, (_, p) => `${p}:${counts.get(p) ?? -1}`);
}

/** Records per partition, from what the members read. */
function perPartition(read: string[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const r of read) {
    const p = Number(r.split(':')[0]);
    counts.set(p, (counts.get(p) ?? 0) + 1);
  }
  return counts;
}

describe("groupProtocol: 'consumer' against librdkafka 2.12's mock cluster (KIP-848) over TCP", () => {
  let cluster: MockCluster;
  let admin: Admin | undefined;
  const members: Member[] = [];

  beforeEach(async () => {
    cluster = await startMockCluster({ build: 'new', topics: [{ name: TOPIC, partitions: PARTITIONS }] });
    await cluster.setGroupConsumerHeartbeatInterval(300);
    await cluster.setGroupConsumerSessionTimeout(SESSION_TIMEOUT_MS);
  });
  afterEach(async () => {
    await Promise.all(members.splice(0).map((m) => m.close()));
    await admin?.close();
    admin = undefined;
    await cluster?.stop();
  });

  function member(name: string, group: string, overrides: Partial<ConsumerConfig> = {}): Member {
    const consumer = createConsumer({
      brokers: cluster.bootstrap.split(','),
      groupId: group,
      topics: [TOPIC],
      clientId: name,
      groupProtocol: 'consumer',
      fromBeginning: true,
      autoCommit: { intervalMs: 200 },
      fetch: { maxWaitMs: 100 },
      retryBackoffMs: 50,
      ...overrides,
    });
    const owned = new Set<number>();
    let closed: Promise<void> | null = null;
    const m: Member = {
      name,
      close: () => (closed ??= consumer.close()),
      owned: () => [...owned].sort((a, b) => a - b),
      read: [],
      committed: new Map(),
      joins: [],
      errors: [],
      leaves: [],
      assignedTopics: new Set(),
    };
    consumer.events$.subscribe((e) => {
      if (e.type === 'join') m.joins.push({ memberId: e.memberId, generationId: e.generationId });
      if (e.type === 'error') m.errors.push(e.error.message);
      if (e.type === 'leave') m.leaves.push(e.reason);
    });
    consumer.rebalances$.subscribe(({ type, partitions }) => {
      for (const { topic, partition } of partitions) {
        if (type === 'assigned') m.assignedTopics.add(topic);
        if (type === 'assigned') owned.add(partition);
        else owned.delete(partition);
      }
    });
    consumer.commits$.subscribe((c) => {
      if (!c.error) for (const o of c.offsets) m.committed.set(o.partition, o.offset);
    });
    consumer.messages$.subscribe((r) => m.read.push(`${r.partition}:${r.offset}`));
    members.push(m);
    return m;
  }

  /**
   * The group's committed offsets as OffsetFetch answers them, `partition:offset`. The partitions
   * are named: the mock echoes a null topic list ("all committed") back as a null array.
   */
  async function fetchedOffsets(group: string): Promise<string[]> {
    admin ??= createAdmin({ brokers: cluster.bootstrap.split(','), retryBackoffMs: 50 });
    const partitions = Array.from({ length: PARTITIONS }, (_, partition) => ({ topic: TOPIC, partition }));
    const offsets = await admin.fetchOffsets(group, { partitions });
    return offsets.map((o) => `${o.partition}:${o.offset}`);
  }

  const committedAll = (m: Member, counts: Map<number, number>) =>
    [...counts].every(([p, n]) => m.committed.get(p) === BigInt(n));

  it('one member: takes every partition, reads each record once, commits what OffsetFetch then shows, leaves', async () => {
    await produce({ bootstrap: cluster.bootstrap, topic: TOPIC, records: keyedRecords(40, 'one-') });
    await cluster.startTracking();
    const a = member('a', 'one');

    await waitUntil('a read 40 records', () => a.read.length >= 40);
    expect(a.owned()).toEqual([0, 1, 2, 3]);
    expect(a.joins).toHaveLength(1);
    expect(a.joins[0].generationId).toBeGreaterThan(0);
    const counts = perPartition(a.read);
    expect(a.read).toHaveLength(40);
    expect([...a.read].sort()).toEqual(expected(counts));
    expect(counts.size).toBeGreaterThan(1);

    await waitUntil('a committed the end of every partition', () => committedAll(a, counts));
    expect(await fetchedOffsets('one')).toEqual(ends(counts));

    // Heartbeats went on at the mock's interval: the mock answered them (it aborts on a form it rejects).
    const heartbeats = (await cluster.requests()).filter((r) => r.apiKey === CONSUMER_GROUP_HEARTBEAT);
    expect(heartbeats.length).toBeGreaterThanOrEqual(2);

    await a.close();
    expect(a.leaves).toHaveLength(1);
    expect(a.errors).toEqual([]);
    // The mock still answers: it did not abort on any heartbeat, the leave included.
    expect(await cluster.version()).toMatch(/^2\.12\./);
  });

  it('two members split the partitions; when one leaves the other takes them at once; each record read once', async () => {
    await produce({ bootstrap: cluster.bootstrap, topic: TOPIC, records: keyedRecords(40, 'first-') });
    const a = member('a', 'two');
    await waitUntil('a owns every partition', () => a.owned().length === PARTITIONS);
    const b = member('b', 'two');
    await waitUntil('a and b split the partitions', () => {
      const [x, y] = [a.owned(), b.owned()];
      return (
        x.length > 0 &&
        y.length > 0 &&
        new Set([...x, ...y]).size === PARTITIONS &&
        x.length + y.length === PARTITIONS
      );
    });
    expect(a.joins[0].memberId).not.toBe(b.joins[0].memberId);

    await produce({ bootstrap: cluster.bootstrap, topic: TOPIC, records: keyedRecords(40, 'second-') });
    const everything = () => [...a.read, ...b.read];
    await waitUntil('a and b read 80 records', () => everything().length >= 80);
    const firstCounts = perPartition(everything());
    expect(everything()).toHaveLength(80);
    expect(everything().sort()).toEqual(expected(firstCounts));
    // Each commits its own partitions; together they reach the end of every partition.
    await waitUntil('a and b committed the end of every partition', () =>
      [...firstCounts].every(([p, n]) => [a, b].some((m) => m.committed.get(p) === BigInt(n))),
    );
    expect(await fetchedOffsets('two')).toEqual(ends(firstCounts));

    const leftAt = performance.now();
    await a.close();
    expect(a.leaves).toHaveLength(1);
    // Well inside the session timeout: the mock took the leave, not a session expiry.
    await waitUntil('b owns every partition', () => b.owned().length === PARTITIONS, 10000);
    expect(performance.now() - leftAt).toBeLessThan(SESSION_TIMEOUT_MS / 2);

    await produce({ bootstrap: cluster.bootstrap, topic: TOPIC, records: keyedRecords(40, 'third-') });
    await waitUntil('120 records read', () => everything().length >= 120);
    const counts = perPartition(everything());
    expect(everything()).toHaveLength(120);
    expect(everything().sort()).toEqual(expected(counts));
    await waitUntil('b committed the end of every partition', () => committedAll(b, counts));
    expect(await fetchedOffsets('two')).toEqual(ends(counts));
    expect([...a.errors, ...b.errors]).toEqual([]);
  });

  it('subscribes by pattern: the mock resolves the regex and assigns only the matching topic', async () => {
    await cluster.createTopic('unrelated', 2);
    await produce({ bootstrap: cluster.bootstrap, topic: TOPIC, records: keyedRecords(20, 'match-') });
    await produce({ bootstrap: cluster.bootstrap, topic: 'unrelated', records: keyedRecords(10, 'other-') });
    const a = member('a', 'pattern', { topics: undefined, topicPattern: /^kip8.8$/ });

    await waitUntil('a read 20 records', () => a.read.length >= 20);
    expect(a.owned()).toEqual([0, 1, 2, 3]);
    expect([...a.assignedTopics]).toEqual([TOPIC]);
    const counts = perPartition(a.read);
    expect(a.read).toHaveLength(20);
    expect([...a.read].sort()).toEqual(expected(counts));
    await a.close();
    expect(a.errors).toEqual([]);
    expect(await cluster.version()).toMatch(/^2\.12\./);
  });
});
