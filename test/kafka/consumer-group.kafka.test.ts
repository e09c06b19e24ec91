import { firstValueFrom, lastValueFrom, take, toArray, type Subscription } from 'rxjs';
import { createConsumer, type CommitResult, type Consumer, type RebalanceEvent } from '../../src/consumer';
import { createProducer } from '../../src/producer';
import { consoleConsume, consoleProduce, type Codec } from '../broker/kafka/console-tools';
import { sharedKafka } from '../broker/kafka/shared-kafka';
import { createTopics, uniqueName } from '../broker/kafka/topics';
import { waitUntil } from '../support/wait-until';
import { ownedPartitions } from '../support/owned-partitions';

/** Consumer groups (classic protocol) of kafka-rx members against Apache Kafka's group coordinator. */

const CODECS: Codec[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

interface Member {
  readonly name: string;
  readonly consumer: Consumer;
  readonly commits: CommitResult[];
  readonly rebalances: RebalanceEvent[];
  subscription?: Subscription;
}

interface Read {
  readonly reader: string;
  readonly partition: number;
  readonly offset: number;
  readonly value: string;
}

function owned(m: Member): number[] {
  return ownedPartitions(m.rebalances);
}

describe('consumer groups against Apache Kafka', () => {
  const members: Member[] = [];
  afterEach(async () => {
    await Promise.all(members.splice(0).map((m) => m.consumer.close()));
  });

  function member(name: string, group: string, topic: string): Member {
    const consumer = createConsumer({
      brokers: [sharedKafka().bootstrap],
      groupId: group,
      topics: [topic],
      fromBeginning: true,
      sessionTimeoutMs: 6000,
      heartbeatIntervalMs: 500,
      autoCommit: { intervalMs: 500 },
      fetch: { maxWaitMs: 100 },
      retryBackoffMs: 50,
    });
    const m: Member = { name, consumer, commits: [], rebalances: [] };
    consumer.commits$.subscribe((c) => m.commits.push(c));
    consumer.rebalances$.subscribe((r) => m.rebalances.push(r));
    members.push(m);
    return m;
  }

  it('reads what ConsoleProducer wrote with every codec, in order per partition', async () => {
    const { bootstrap } = sharedKafka();
    const topic = uniqueName('codecs');
    await createTopics(bootstrap, [{ name: topic, partitions: 1 }]);
    for (const codec of CODECS) {
      const records = Array.from({ length: 20 }, (_, i) => ({
        key: `${codec}-${i}`,
        value: `${codec}-value-${i}`,
      }));
      await consoleProduce({ bootstrap, topic, records, codec });
    }
    const m = member('reader', uniqueName('codecs-group'), topic);
    const records = await firstValueFrom(m.consumer.messages$.pipe(take(CODECS.length * 20), toArray()));
    expect(records.map((r) => Number(r.offset))).toEqual(records.map((_, i) => i));
    expect(records.map((r) => r.value?.toString())).toEqual(
      CODECS.flatMap((codec) => Array.from({ length: 20 }, (_, i) => `${codec}-value-${i}`)),
    );
  }, 60000);

  it('two members share the partitions; one leaves and the other goes on from its commits', async () => {
    const { bootstrap } = sharedKafka();
    const topic = uniqueName('shared');
    const group = uniqueName('sharing');
    await createTopics(bootstrap, [{ name: topic, partitions: 4 }]);
    const producer = createProducer({ brokers: [bootstrap] });
    const reads: Read[] = [];
    const write = async (prefix: string) => {
      const records = Array.from({ length: 40 }, (_, i) => ({
        topic,
        partition: i % 4,
        value: `${prefix}-${i}`,
      }));
      await lastValueFrom(producer.send(records));
      return records.map((r) => r.value);
    };
    const consume = (m: Member) => {
      m.subscription = m.consumer.messages$.subscribe((r) =>
        reads.push({
          reader: m.name,
          partition: r.partition,
          offset: Number(r.offset),
          value: r.value!.toString(),
        }),
      );
    };
    const lastRead = (reader: string, p: number) =>
      Math.max(-1, ...reads.filter((r) => r.reader === reader && r.partition === p).map((r) => r.offset));
    const lastCommitted = (m: Member, p: number) =>
      Math.max(
        0,
        ...m.commits
          .filter((c) => !c.error)
          .flatMap((c) => c.offsets)
          .filter((o) => o.partition === p)
          .map((o) => Number(o.offset)),
      );

    try {
      const written = await write('first');
      const a = member('a', group, topic);
      const b = member('b', group, topic);
      consume(a);
      consume(b);
      await waitUntil('a and b to split the partitions', () => {
        const both = [...owned(a), ...owned(b)];
        return owned(a).length > 0 && owned(b).length > 0 && new Set(both).size === 4 && both.length === 4;
      });
      await waitUntil('the first records to be read', () => new Set(reads.map((r) => r.value)).size === 40);
      written.push(...(await write('second')));
      await waitUntil('the second records to be read', () => new Set(reads.map((r) => r.value)).size === 80);
      await waitUntil('a and b to commit what they read', () =>
        [a, b].every((m) => owned(m).every((p) => lastCommitted(m, p) > lastRead(m.name, p))),
      );

      // a closes: it commits and leaves; b takes its partitions over from a's commits.
      const aPartitions = owned(a);
      // b may have read some of them itself before a joined: what counts is where it starts after a.
      const readBeforeClose = reads.length;
      a.subscription?.unsubscribe();
      await a.consumer.close();
      const closing = a.commits.find((c) => c.trigger === 'close');
      expect(closing?.error).toBeUndefined();
      await waitUntil("b to take a's partitions", () => owned(b).length === 4);
      written.push(...(await write('third')));
      await waitUntil('every record to be read', () => new Set(reads.map((r) => r.value)).size === 120);

      expect([...new Set(reads.map((r) => r.value))].sort()).toEqual([...written].sort());
      // Nothing read twice: b started on a's partitions exactly where a's commits ended.
      expect(reads.filter((r, i) => reads.findIndex((s) => s.value === r.value) !== i)).toEqual([]);
      for (const p of aPartitions) {
        const firstByB = Math.min(
          ...reads
            .slice(readBeforeClose)
            .filter((r) => r.reader === 'b' && r.partition === p)
            .map((r) => r.offset),
        );
        expect(firstByB).toBe(lastRead('a', p) + 1);
      }
    } finally {
      await producer.close();
    }
  }, 90000);

  it("shares a group with Java's KafkaConsumer (classic, range): each reads its partitions from the group's commits", async () => {
    const { bootstrap } = sharedKafka();
    const topic = uniqueName('with-java');
    const group = uniqueName('with-java-group');
    await createTopics(bootstrap, [{ name: topic, partitions: 4 }]);
    const producer = createProducer({ brokers: [bootstrap] });
    const write = (prefix: string) =>
      lastValueFrom(
        producer.send(
          Array.from({ length: 40 }, (_, i) => ({ topic, partition: i % 4, value: `${prefix}-${i}` })),
        ),
      );
    const ours: Read[] = [];
    try {
      await write('first');
      const a = member('a', group, topic);
      a.subscription = a.consumer.messages$.subscribe((r) =>
        ours.push({
          reader: 'a',
          partition: r.partition,
          offset: Number(r.offset),
          value: r.value!.toString(),
        }),
      );
      await waitUntil('a to read the first records', () => ours.length === 40);
      await waitUntil('a to commit them', () =>
        [0, 1, 2, 3].every((p) =>
          a.commits.some((c) => !c.error && c.offsets.some((o) => o.partition === p && o.offset === 10n)),
        ),
      );

      // Java joins (and leaves once it read the 20 second records on its two partitions, or after 10 s
      // without records); a keeps what the range assignor leaves it.
      const java = consoleConsume({
        bootstrap,
        topic,
        group,
        idleMs: 10000,
        maxMessages: 20,
        properties: { 'group.protocol': 'classic', 'auto.offset.reset': 'earliest' },
      });
      await waitUntil('the group to split the partitions', () => owned(a).length === 2);
      const javaPartitions = [0, 1, 2, 3].filter((p) => !owned(a).includes(p));
      await write('second');
      const javaRead = await java;
      await waitUntil('a to own every partition again', () => owned(a).length === 4);

      // Java started where a's commits ended: none of the first records, all second ones on its partitions.
      expect(javaRead.every((r) => r.value.startsWith('second-'))).toBe(true);
      expect([...new Set(javaRead.map((r) => r.partition))].sort()).toEqual(javaPartitions);
      expect(javaRead).toHaveLength(20);
      const secondByA = ours.filter((r) => r.value.startsWith('second-'));
      expect(new Set([...secondByA, ...javaRead].map((r) => r.value)).size).toBe(40);
    } finally {
      await producer.close();
    }
  }, 90000);
});
