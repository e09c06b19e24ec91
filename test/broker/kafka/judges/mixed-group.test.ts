import { lastValueFrom } from 'rxjs';
import { createConsumer } from '../../../../src/consumer';
import { createProducer, type RecordMetadata } from '../../../../src/producer';
import { sharedKafka } from '../shared-kafka';
import { createTopics, uniqueName } from '../topics';
import { javaGroupMember, observeMember, type Member } from './group-members';
import { waitUntil } from './wait-until';

const PARTITIONS = 6;
const PER_ROUND = 60;

type Assignor = 'range' | 'cooperative-sticky';

function kafkaRxMember(
  bootstrap: string,
  group: string,
  topic: string,
  assignor: Assignor,
  name: string,
): Member {
  const consumer = createConsumer({
    brokers: [bootstrap],
    groupId: group,
    topics: [topic],
    clientId: name,
    assignors: [assignor],
    fromBeginning: true,
    autoCommit: { intervalMs: 1000 },
    sessionTimeoutMs: 6000,
    heartbeatIntervalMs: 500,
    maxPollIntervalMs: 20000,
    fetch: { maxWaitMs: 100 },
  });
  return observeMember(consumer, name);
}

/** Range: members sorted by member id, each a run of PARTITIONS / n partitions (no remainder here). */
function rangeAssignment(members: Member[]): Map<string, number[]> {
  const sorted = [...members].sort((a, b) => (a.memberId() < b.memberId() ? -1 : 1));
  const each = PARTITIONS / members.length;
  return new Map(sorted.map((m, i) => [m.name, Array.from({ length: each }, (_, j) => i * each + j)]));
}

/** The members own every partition exactly once, in equal shares (the group is stable). */
function agreed(members: Member[]): boolean {
  const owned = members.map((m) => m.owned());
  const all = owned.flat().sort((a, b) => a - b);
  return (
    members.every((m) => m.memberId() !== '') &&
    owned.every((o) => o.length === PARTITIONS / members.length) &&
    all.join() === Array.from({ length: PARTITIONS }, (_, p) => p).join()
  );
}

async function produceRound(bootstrap: string, topic: string, round: number): Promise<RecordMetadata[]> {
  const producer = createProducer({ brokers: [bootstrap] });
  try {
    return await lastValueFrom(
      producer.send(
        Array.from({ length: PER_ROUND }, (_, i) => ({
          topic,
          key: `r${round}-${i}`,
          value: `r${round}-${i}`,
        })),
      ),
    );
  } finally {
    await producer.close();
  }
}

async function runGroup(assignor: Assignor, javaFirst: boolean): Promise<void> {
  const { bootstrap } = sharedKafka();
  const topic = uniqueName(`judge-mixed-${assignor}`);
  const group = uniqueName(`judge-mixed-group-${assignor}`);
  await createTopics(bootstrap, [{ name: topic, partitions: PARTITIONS }]);
  const written: string[] = [];
  const record = (metadata: RecordMetadata[]): void => {
    written.push(...metadata.map((m) => `${m.partition}:${m.offset}`));
  };
  const java = (): Member => javaGroupMember(bootstrap, group, topic, assignor, 'judge-java');
  const rx = (name: string): Member => kafkaRxMember(bootstrap, group, topic, assignor, name);
  // The first member to join leads the group and runs the assignor for everyone.
  const members = javaFirst ? [java()] : [rx('judge-rx-a')];
  const everyone: Member[] = [...members];
  const open = new Set<Member>(members);
  try {
    if (javaFirst)
      await waitUntil(() => members[0].owned().length === PARTITIONS, 30000, 'java alone owns all');
    else await waitUntil(() => members[0].owned().length === PARTITIONS, 30000, 'kafka-rx alone owns all');
    for (const m of javaFirst ? [rx('judge-rx-a'), rx('judge-rx-b')] : [java(), rx('judge-rx-b')]) {
      members.push(m);
      everyone.push(m);
      open.add(m);
    }
    const readAll = (): Set<string> => new Set(everyone.flatMap((m) => m.read()));
    const describe = (): string =>
      everyone.map((m) => `${m.name} owns [${m.owned().join()}] read ${m.read().length}`).join('; ');

    await waitUntil(() => agreed(members), 40000, `three members agree: ${describe()}`);
    record(await produceRound(bootstrap, topic, 0));
    await waitUntil(() => written.every((w) => readAll().has(w)), 30000, `round 0 read: ${describe()}`);
    // Every member had records of its own to commit before handing its partitions over.
    for (const m of members) expect(m.read().length).toBeGreaterThan(0);
    const before = new Map(members.map((m) => [m.name, m.owned()]));
    if (assignor === 'range') {
      expect(new Map(members.map((m) => [m.name, m.owned()]))).toEqual(rangeAssignment(members));
    }

    // A kafka-rx member leaves: the others take its partitions from its commits.
    const leaving = members.find((m) => m.name === 'judge-rx-b')!;
    await leaving.close();
    open.delete(leaving);
    members.splice(members.indexOf(leaving), 1);
    await waitUntil(() => agreed(members), 30000, `two members agree: ${describe()}`);
    if (assignor === 'range') {
      expect(new Map(members.map((m) => [m.name, m.owned()]))).toEqual(rangeAssignment(members));
    } else {
      // Sticky: who stays keeps what it had.
      for (const m of members) expect(m.owned()).toEqual(expect.arrayContaining(before.get(m.name)!));
    }
    record(await produceRound(bootstrap, topic, 1));
    await waitUntil(() => written.every((w) => readAll().has(w)), 30000, `round 1 read: ${describe()}`);

    // The Java member leaves: the kafka-rx member that stays takes everything from Java's commits.
    const javaMemberLeaving = members.find((m) => m.name === 'judge-java')!;
    await javaMemberLeaving.close();
    open.delete(javaMemberLeaving);
    members.splice(members.indexOf(javaMemberLeaving), 1);
    await waitUntil(() => agreed(members), 30000, `the last member owns all: ${describe()}`);
    record(await produceRound(bootstrap, topic, 2));
    await waitUntil(() => written.every((w) => readAll().has(w)), 30000, `round 2 read: ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 500));

    // Every handover started at the leaving owner's commit, which covered all it had read: nothing twice.
    const reads = everyone.flatMap((m) => m.read());
    expect(reads.sort()).toEqual([...written].sort());
  } finally {
    await Promise.allSettled([...open].map((m) => m.close()));
  }
}

// A plain Java KafkaConsumer and kafka-rx consumers in one classic group judge each other's assignors and commits.
describe('a group of kafka-rx consumers and a Java KafkaConsumer', () => {
  it.each([
    ['range', 'kafka-rx', false],
    ['range', 'Java', true],
    ['cooperative-sticky', 'kafka-rx', false],
    ['cooperative-sticky', 'Java', true],
  ] as const)(
    '%s with a %s leader: one assignment agreed, and handovers from commits lose and repeat nothing',
    async (assignor, _leader, javaFirst) => {
      await runGroup(assignor, javaFirst);
    },
    120000,
  );

  it('range: the Java member SIGKILLed while records arrive, kafka-rx takes over from its commits, re-reading only above them', async () => {
    const { bootstrap } = sharedKafka();
    const topic = uniqueName('judge-mixed-kill');
    const group = uniqueName('judge-mixed-kill-group');
    await createTopics(bootstrap, [{ name: topic, partitions: PARTITIONS }]);
    const rx = kafkaRxMember(bootstrap, group, topic, 'range', 'judge-rx-a');
    const java = javaGroupMember(bootstrap, group, topic, 'range', 'judge-java');
    try {
      await waitUntil(() => agreed([rx, java]), 40000, 'kafka-rx and Java share the partitions');
      const written: string[] = [];
      const producer = createProducer({ brokers: [bootstrap], lingerMs: 0 });
      let killedAt: Map<number, number> | undefined;
      try {
        for (let s = 0; s < 40; s++) {
          const metadata = await lastValueFrom(
            producer.send(
              Array.from({ length: 6 }, (_, i) => ({ topic, key: `s${s}-${i}`, value: `s${s}-${i}` })),
            ),
          );
          written.push(...metadata.map((m) => `${m.partition}:${m.offset}`));
          if (s === 20) {
            await java.kill();
            killedAt = java.committed();
          }
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      } finally {
        await producer.close();
      }
      const javaOwned = java.owned();
      // After the session timeout (6 s) the coordinator gives kafka-rx everything.
      await waitUntil(
        () =>
          rx.owned().length === PARTITIONS &&
          written.every((w) => rx.read().includes(w) || java.read().includes(w)),
        40000,
        `kafka-rx owns all and everything is read (kafka-rx owns [${rx.owned().join()}])`,
      );
      const reads = [...java.read(), ...rx.read()];
      expect(new Set(reads)).toEqual(new Set(written));
      expect(java.read().length).toBeGreaterThan(0);
      expect(javaOwned.length).toBeGreaterThan(0);
      // Read by both only where Java had not committed yet.
      const twice = java.read().filter((r) => rx.read().includes(r));
      const belowCommit = twice.filter((r) => {
        const [p, o] = r.split(':').map(Number);
        return o < (killedAt!.get(p) ?? 0);
      });
      expect(belowCommit).toEqual([]);
      // Each of Java's partitions: kafka-rx went on from Java's last commit (which may be one poll past
      // the last it printed, if it was killed in between), with no gap after what Java read.
      for (const p of javaOwned) {
        const committed = killedAt!.get(p) ?? 0;
        const javaNext =
          Math.max(
            -1,
            ...java
              .read()
              .map((r) => r.split(':').map(Number))
              .filter(([rp]) => rp === p)
              .map(([, o]) => o),
          ) + 1;
        const rxFirst = Math.min(
          ...rx
            .read()
            .map((r) => r.split(':').map(Number))
            .filter(([rp]) => rp === p)
            .map(([, o]) => o),
        );
        expect({ p, fromCommit: rxFirst >= committed, noGap: rxFirst <= javaNext }).toEqual({
          p,
          fromCommit: true,
          noGap: true,
        });
      }
    } finally {
      await Promise.allSettled([rx.close(), java.kill()]);
    }
  }, 90000);
});
