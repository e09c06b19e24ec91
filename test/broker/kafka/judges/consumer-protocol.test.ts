import { lastValueFrom } from 'rxjs';
import { createAdmin } from '../../../../src/admin';
import { createConsumer, type ConsumerConfig } from '../../../../src/consumer';
import { createProducer, type RecordMetadata } from '../../../../src/producer';
import { sharedKafka } from '../shared-kafka';
import { createTopics, uniqueName } from '../topics';
import { describeGroup } from './describe-group';
import { javaGroupMember, observeMember, type Member } from './group-members';
import { waitUntil } from './wait-until';

/**
 * The consumer group protocol (KIP-848, `groupProtocol: 'consumer'`) against Kafka 4's group
 * coordinator, with Kafka's own Java consumer (group.protocol=consumer) and kafka-consumer-groups
 * as judges.
 */

const PARTITIONS = 6;
const PER_ROUND = 60;

interface RxMember extends Member {
  /** API names of every request sent. */
  readonly apis: Set<string>;
  readonly errors: string[];
  commit(): Promise<Map<number, bigint>>;
}

function rxMember(
  bootstrap: string,
  group: string,
  topic: string,
  name: string,
  extra: Partial<ConsumerConfig> = {},
): RxMember {
  const consumer = createConsumer({
    brokers: [bootstrap],
    groupId: group,
    topics: [topic],
    clientId: name,
    groupProtocol: 'consumer',
    fromBeginning: true,
    autoCommit: { intervalMs: 500 },
    maxPollIntervalMs: 20000,
    fetch: { maxWaitMs: 100 },
    retryBackoffMs: 50,
    ...extra,
  });
  const apis = new Set<string>();
  const errors: string[] = [];
  consumer.events$.subscribe((e) => {
    if (e.type === 'request') apis.add(e.api);
    if (e.type === 'error') errors.push(e.error.message);
  });
  // Observed after the events above: subscribing to messages$ joins the group.
  const member = observeMember(consumer, name);
  return {
    ...member,
    apis,
    errors,
    commit: async () => {
      const result = await consumer.commit();
      if (result.error) throw result.error;
      return new Map(result.offsets.map((o) => [o.partition, o.offset]));
    },
  };
}

/** The members own every partition exactly once, as evenly as the uniform assignor spreads them. */
function agreed(members: Member[]): boolean {
  const owned = members.map((m) => m.owned());
  const all = owned.flat().sort((a, b) => a - b);
  const least = Math.floor(PARTITIONS / members.length);
  return (
    members.every((m) => m.memberId() !== '') &&
    owned.every((o) => o.length >= least && o.length <= least + 1) &&
    all.join() === Array.from({ length: PARTITIONS }, (_, p) => p).join()
  );
}

function describe$(members: Member[]): string {
  return members.map((m) => `${m.name} owns [${m.owned().join()}] read ${m.read().length}`).join('; ');
}

async function produceRound(bootstrap: string, topic: string, round: number): Promise<string[]> {
  const producer = createProducer({ brokers: [bootstrap] });
  try {
    const metadata: RecordMetadata[] = await lastValueFrom(
      producer.send(
        Array.from({ length: PER_ROUND }, (_, i) => ({
          topic,
          key: `r${round}-${i}`,
          value: `r${round}-${i}`,
        })),
      ),
    );
    return metadata.map((m) => `${m.partition}:${m.offset}`);
  } finally {
    await producer.close();
  }
}

/** Every record written was read, and none twice. */
function expectReadOnce(members: Member[], written: string[]): void {
  const read = members.flatMap((m) => m.read());
  expect(read.length - new Set(read).size).toBe(0);
  expect([...new Set(read)].sort()).toEqual([...written].sort());
}

/** consumer.session.timeout.ms for one KIP-848 group, set before it exists. */
async function groupSessionTimeout(bootstrap: string, groupId: string, ms: number): Promise<void> {
  const admin = createAdmin({ brokers: [bootstrap] });
  try {
    const [result] = await admin.incrementalAlterConfigs([
      { type: 'group', name: groupId, changes: [{ name: 'consumer.session.timeout.ms', value: String(ms) }] },
    ]);
    if (result?.error) throw result.error;
  } finally {
    await admin.close();
  }
}

describe("groupProtocol: 'consumer' against Kafka 4", () => {
  const open = new Set<Member>();
  afterEach(async () => {
    await Promise.all([...open].map((m) => m.close()));
    open.clear();
  });

  it('one member consumes a topic over ConsumerGroupHeartbeat alone and commits with its member epoch', async () => {
    const { bootstrap } = sharedKafka();
    const topic = uniqueName('kip848-one');
    const group = uniqueName('kip848-one-group');
    await createTopics(bootstrap, [{ name: topic, partitions: 3 }]);
    const written = await produceRound(bootstrap, topic, 0);
    const m = rxMember(bootstrap, group, topic, 'kip848-a', { groupRemoteAssignor: 'uniform' });
    open.add(m);
    await waitUntil(() => m.read().length >= PER_ROUND, 30000, `all read: ${describe$([m])}`);
    expect(m.owned()).toEqual([0, 1, 2]);
    expectReadOnce([m], written);
    const committed = await m.commit();

    // The coordinator knows the member by the id kafka-rx made up (KIP-1082), and has its offsets.
    const members = await describeGroup(bootstrap, group, '--members');
    expect(members.map((r) => [r['CONSUMER-ID'], r['CLIENT-ID'], r['#PARTITIONS']])).toEqual([
      [m.memberId(), 'kip848-a', '3'],
    ]);
    expect(m.memberId()).toMatch(/^[0-9a-f-]{36}$/);
    const offsets = await describeGroup(bootstrap, group);
    expect(
      offsets
        .map((r) => [Number(r.PARTITION), BigInt(r['CURRENT-OFFSET']), r.LAG])
        .sort((a, b) => Number(a[0]) - Number(b[0])),
    ).toEqual([0, 1, 2].map((p) => [p, committed.get(p), '0']));
    expect([...committed.values()].reduce((a, b) => a + b, 0n)).toBe(BigInt(PER_ROUND));

    expect(m.apis).toContain('ConsumerGroupHeartbeat');
    expect([...m.apis].filter((a) => ['JoinGroup', 'SyncGroup', 'Heartbeat'].includes(a))).toEqual([]);
    expect(m.errors).toEqual([]);

    // Closing leaves (epoch -1): the group is empty at once, without waiting for a session timeout.
    await m.close();
    open.delete(m);
    const after = await describeGroup(bootstrap, group, '--members');
    expect(after).toEqual([]);
  }, 90000);

  it('subscribes by regular expression: the broker resolves topicPattern and assigns the matching topics', async () => {
    const { bootstrap } = sharedKafka();
    const prefix = uniqueName('kip848-regex');
    const group = uniqueName('kip848-regex-group');
    await createTopics(bootstrap, [
      { name: `${prefix}-a`, partitions: 2 },
      { name: `${prefix}-b`, partitions: 1 },
      { name: `${prefix}-other`, partitions: 1 },
    ]);
    const producer = createProducer({ brokers: [bootstrap] });
    try {
      await lastValueFrom(
        producer.send(
          ['a', 'b', 'other'].flatMap((t) =>
            Array.from({ length: 10 }, (_, i) => ({ topic: `${prefix}-${t}`, value: `${t}${i}` })),
          ),
        ),
      );
    } finally {
      await producer.close();
    }
    const consumer = createConsumer({
      brokers: [bootstrap],
      groupId: group,
      topicPattern: new RegExp(`^${prefix}-(a|b)$`),
      groupProtocol: 'consumer',
      fromBeginning: true,
      fetch: { maxWaitMs: 100 },
    });
    const read: string[] = [];
    const assigned: string[] = [];
    consumer.rebalances$.subscribe((r) => {
      if (r.type === 'assigned') assigned.push(...r.partitions.map((tp) => `${tp.topic}/${tp.partition}`));
    });
    const subscription = consumer.messages$.subscribe((r) => read.push(r.value!.toString()));
    try {
      await waitUntil(() => read.length >= 20, 30000, `read ${read.length} of 20`);
      expect(assigned.sort()).toEqual([`${prefix}-a/0`, `${prefix}-a/1`, `${prefix}-b/0`]);
      expect(read.filter((v) => v.startsWith('other'))).toEqual([]);
      expect(read.length).toBe(20);
    } finally {
      subscription.unsubscribe();
      await consumer.close();
    }
  }, 90000);

  it('three members share the partitions; when one leaves, the others take its partitions from its commits', async () => {
    const { bootstrap } = sharedKafka();
    const topic = uniqueName('kip848-three');
    const group = uniqueName('kip848-three-group');
    await createTopics(bootstrap, [{ name: topic, partitions: PARTITIONS }]);
    const members = ['kip848-a', 'kip848-b', 'kip848-c'].map((n) => rxMember(bootstrap, group, topic, n));
    members.forEach((m) => open.add(m));
    await waitUntil(() => agreed(members), 40000, `three agree: ${describe$(members)}`);
    const written = await produceRound(bootstrap, topic, 0);
    await waitUntil(
      () => members.flatMap((m) => m.read()).length >= written.length,
      30000,
      `round 0: ${describe$(members)}`,
    );
    for (const m of members) expect(m.owned().length).toBe(2);

    const leaving = members.pop()!;
    await leaving.close();
    open.delete(leaving);
    await waitUntil(() => agreed(members), 30000, `two agree: ${describe$(members)}`);
    written.push(...(await produceRound(bootstrap, topic, 1)));
    const everyone = [...members, leaving];
    await waitUntil(
      () => new Set(everyone.flatMap((m) => m.read())).size >= written.length,
      30000,
      `round 1: ${describe$(everyone)}`,
    );
    expectReadOnce(everyone, written);
    for (const m of everyone) expect((m as RxMember).errors).toEqual([]);
  }, 120000);

  it('shares a group with a Java consumer (group.protocol=consumer), and takes over its partitions when it is killed', async () => {
    const { bootstrap } = sharedKafka();
    const topic = uniqueName('kip848-java');
    const group = uniqueName('kip848-java-group');
    await createTopics(bootstrap, [{ name: topic, partitions: PARTITIONS }]);
    // The killed member's partitions move after its session: the broker's shortest (6 s), not its 10 s default.
    await groupSessionTimeout(bootstrap, group, 6000);
    const rx = rxMember(bootstrap, group, topic, 'kip848-rx');
    const java = javaGroupMember(bootstrap, group, topic, 'consumer', 'kip848-java');
    open.add(rx);
    const members: Member[] = [rx, java];
    try {
      await waitUntil(() => agreed(members), 40000, `rx and java agree: ${describe$(members)}`);
      expect(rx.owned().filter((p) => java.owned().includes(p))).toEqual([]);
      const written = await produceRound(bootstrap, topic, 0);
      await waitUntil(
        () => members.flatMap((m) => m.read()).length >= written.length,
        30000,
        `round 0: ${describe$(members)}`,
      );
      expectReadOnce(members, written);
      for (const m of members) expect(m.read().length).toBeGreaterThan(0);
      // The Java member commits after every poll: wait until its commits cover what it read.
      const javaEnds = new Map<number, number>();
      for (const r of java.read()) {
        const [p, o] = r.split(':').map(Number);
        javaEnds.set(p, Math.max(javaEnds.get(p) ?? 0, o + 1));
      }
      await waitUntil(
        () => [...javaEnds].every(([p, o]) => java.committed().get(p) === o),
        10000,
        'java committed what it read',
      );

      // Killed: no leave; the coordinator's session timeout (6 s here) hands its partitions over.
      await java.kill();
      await waitUntil(() => rx.owned().length === PARTITIONS, 40000, `rx owns all: ${describe$(members)}`);
      written.push(...(await produceRound(bootstrap, topic, 1)));
      await waitUntil(
        () => new Set(members.flatMap((m) => m.read())).size >= written.length,
        30000,
        `round 1: ${describe$(members)}`,
      );
      expectReadOnce(members, written);
      expect(rx.errors).toEqual([]);
    } finally {
      await java.kill();
    }
  }, 150000);
});
