import { lastValueFrom } from 'rxjs';
import { createConsumer, type ConsumerRecord } from '../../../../src/consumer';
import { createProducer, type Producer, type RecordMetadata } from '../../../../src/producer';
import { consoleConsume } from '../console-tools';
import { runKafkaToolOk } from '../kafka-tool';
import { sharedKafka } from '../shared-kafka';
import { createTopics, uniqueName } from '../topics';
import { exactlyOnce } from '../../../../examples/consume-transform-produce';
import { describeGroup } from './describe-group';
import { javaSource } from './java-program';
import { waitUntil } from './wait-until';

const PER_TRANSACTION = 10;
const PLAN = ['commit', 'abort', 'commit'] as const;

const values = (t: number): string[] => Array.from({ length: PER_TRANSACTION }, (_, i) => `t${t}-${i}`);
const committedValues = (): string[] => PLAN.flatMap((o, t) => (o === 'commit' ? values(t) : [])).sort();
const allValues = (): string[] => PLAN.flatMap((_, t) => values(t)).sort();

/** Every value one kafka-rx consumer with this isolation level reads, once `count` are in and a moment passed. */
async function readWithKafkaRx(
  bootstrap: string,
  topic: string,
  isolationLevel: 'read_committed' | 'read_uncommitted',
  count: number,
): Promise<ConsumerRecord[]> {
  const consumer = createConsumer({
    brokers: [bootstrap],
    groupId: uniqueName('judge-txn-reader'),
    topics: [topic],
    fromBeginning: true,
    isolationLevel,
    fetch: { maxWaitMs: 100 },
  });
  const read: ConsumerRecord[] = [];
  consumer.messages$.subscribe((r) => read.push(r));
  try {
    await waitUntil(
      () => read.length >= count,
      30000,
      `${isolationLevel}: ${count} records (read ${read.length})`,
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
  } finally {
    await consumer.close();
  }
  return read;
}

async function inTransaction(
  producer: Producer,
  topic: string,
  t: number,
  outcome: 'commit' | 'abort',
): Promise<void> {
  producer.beginTransaction();
  await lastValueFrom(producer.send(values(t).map((value, i) => ({ topic, key: String(i), value }))));
  await lastValueFrom(outcome === 'commit' ? producer.commitTransaction() : producer.abortTransaction());
}

// Kafka's own clients judge kafka-rx's transactions, with real transaction markers.
describe("transactions between kafka-rx and Kafka's Java clients", () => {
  it("a read_committed ConsoleConsumer sees kafka-rx's committed transactions and none of its aborted records", async () => {
    const { bootstrap } = sharedKafka();
    const topic = uniqueName('judge-txn-rx');
    await createTopics(bootstrap, [{ name: topic, partitions: 2 }]);
    const producer = createProducer({ brokers: [bootstrap], transactionalId: uniqueName('judge-txn-rx-id') });
    try {
      for (const [t, outcome] of PLAN.entries()) await inTransaction(producer, topic, t, outcome);
    } finally {
      await producer.close();
    }

    // Same keys in every transaction, so in each partition the aborted records lie between the
    // committed ones: had read_committed shown them, they would be among the first 20 records.
    const committed = await consoleConsume({
      bootstrap,
      topic,
      isolationLevel: 'read_committed',
      maxMessages: committedValues().length,
    });
    expect(committed.map((r) => r.value).sort()).toEqual(committedValues());
    // The aborted records were written: read_uncommitted sees them, and (idling out once) nothing more.
    const uncommitted = await consoleConsume({ bootstrap, topic, isolationLevel: 'read_uncommitted' });
    expect(uncommitted.map((r) => r.value).sort()).toEqual(allValues());
  }, 60000);

  it('a read_committed kafka-rx consumer hides what a Java transactional producer aborted', async () => {
    const { bootstrap } = sharedKafka();
    const topic = uniqueName('judge-txn-java');
    await createTopics(bootstrap, [{ name: topic, partitions: 2 }]);
    const run = await runKafkaToolOk(
      javaSource('TransactionalProducer'),
      [
        bootstrap,
        topic,
        uniqueName('judge-txn-java-id'),
        PLAN.map((o) => `${o}:${PER_TRANSACTION}`).join(','),
      ],
      { timeoutMs: 60000 },
    );
    const transactions = run.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { outcome: string; offsets: [number, number][] });
    expect(transactions.map((t) => t.outcome)).toEqual([...PLAN]);

    const committed = await readWithKafkaRx(bootstrap, topic, 'read_committed', 2 * PER_TRANSACTION);
    expect(committed.map((r) => r.value!.toString()).sort()).toEqual(committedValues());
    const uncommitted = await readWithKafkaRx(bootstrap, topic, 'read_uncommitted', 3 * PER_TRANSACTION);
    expect(uncommitted.map((r) => r.value!.toString()).sort()).toEqual(allValues());
    // The records sit where the Java producer was told they went.
    const placed = new Map<string, string>(
      transactions.flatMap((t, i) =>
        t.offsets.map(([p, o], j): [string, string] => [`t${i}-${j}`, `${p}:${o}`]),
      ),
    );
    expect(uncommitted.map((r) => `${r.partition}:${r.offset}`).sort()).toEqual(
      uncommitted.map((r) => placed.get(r.value!.toString())).sort(),
    );
  }, 60000);

  it('a second kafka-rx producer with the same transactionalId fences the first and aborts its transaction', async () => {
    const { bootstrap } = sharedKafka();
    const topic = uniqueName('judge-txn-fence');
    const transactionalId = uniqueName('judge-txn-fence-id');
    await createTopics(bootstrap, [{ name: topic, partitions: 1 }]);
    const first = createProducer({ brokers: [bootstrap], transactionalId });
    const second = createProducer({ brokers: [bootstrap], transactionalId });
    try {
      first.beginTransaction();
      await lastValueFrom(first.send(values(0).map((value) => ({ topic, value }))));
      await inTransaction(second, topic, 1, 'commit');
      await expect(lastValueFrom(first.commitTransaction())).rejects.toMatchObject({
        name: 'ProducerFencedError',
      });
    } finally {
      await Promise.allSettled([first.close(), second.close()]);
    }
    // The fenced producer's records come first in the log: read_committed would show them among the first 10.
    const committed = await consoleConsume({
      bootstrap,
      topic,
      isolationLevel: 'read_committed',
      maxMessages: PER_TRANSACTION,
    });
    expect(committed.map((r) => r.value).sort()).toEqual(values(1).sort());
    // Idling out once: both producers' records are in the log, and nothing more.
    const uncommitted = await consoleConsume({ bootstrap, topic, isolationLevel: 'read_uncommitted' });
    expect(uncommitted.map((r) => r.value).sort()).toEqual([...values(0), ...values(1)].sort());
  }, 60000);

  it('the exactly-once pipeline, stopped and restarted: Java read_committed sees each input once, and the group committed the input ends', async () => {
    const { bootstrap } = sharedKafka();
    const input = uniqueName('judge-eos-in');
    const output = uniqueName('judge-eos-out');
    const groupId = uniqueName('judge-eos-group');
    const transactionalId = uniqueName('judge-eos-id');
    const N = 300;
    await createTopics(bootstrap, [
      { name: input, partitions: 3 },
      { name: output, partitions: 2 },
    ]);
    const producer = createProducer({ brokers: [bootstrap] });
    let written: RecordMetadata[];
    try {
      written = await lastValueFrom(
        producer.send(Array.from({ length: N }, (_, i) => ({ topic: input, key: `k${i}`, value: `w${i}` }))),
      );
    } finally {
      await producer.close();
    }
    // Two runs of the same pipeline instance: the second goes on from the offsets the first committed in its transactions.
    const first = await exactlyOnce({
      brokers: [bootstrap],
      input,
      output,
      groupId,
      transactionalId,
      count: N / 2,
      batchSize: 40,
    });
    const done = first.reduce((a, b) => a + b, 0);
    expect(done).toBeGreaterThanOrEqual(N / 2);
    expect(done).toBeLessThan(N);
    const second = await exactlyOnce({
      brokers: [bootstrap],
      input,
      output,
      groupId,
      transactionalId,
      count: N - done,
      batchSize: 40,
    });
    expect(done + second.reduce((a, b) => a + b, 0)).toBe(N);

    const read = await consoleConsume({ bootstrap, topic: output, isolationLevel: 'read_committed' });
    expect(read.map((r) => r.value).sort()).toEqual(Array.from({ length: N }, (_, i) => `W${i}`).sort());
    expect(new Set(read.map((r) => r.headers[0][1])).size).toBe(N);

    const committed = (await describeGroup(bootstrap, groupId))
      .map((row) => ({
        partition: Number(row.PARTITION),
        current: row['CURRENT-OFFSET'],
        logEnd: row['LOG-END-OFFSET'],
      }))
      .sort((a, b) => a.partition - b.partition);
    expect(committed).toEqual(
      [0, 1, 2].map((p) => {
        const end = String(written.filter((m) => m.partition === p).length);
        return { partition: p, current: end, logEnd: end };
      }),
    );
  }, 90000);
});
