import { firstValueFrom, lastValueFrom, take, toArray } from 'rxjs';
import { createConsumer, type ConsumerRecord } from '../../src/consumer';
import { createProducer, partitionForKey } from '../../src/producer';
import { consoleConsume, consoleProduce } from '../broker/kafka/console-tools';
import { logEndOffsets } from '../broker/kafka/log-end-offsets';
import { sharedKafka } from '../broker/kafka/shared-kafka';
import { createTopics, uniqueName } from '../broker/kafka/topics';

/** What only a real broker does to records: transaction markers, LogAppendTime, Java's partitioner. */
describe('records as Apache Kafka stores them', () => {
  const read = async (
    topic: string,
    count: number,
    isolationLevel?: 'read_committed' | 'read_uncommitted',
  ) => {
    const consumer = createConsumer({
      brokers: [sharedKafka().bootstrap],
      groupId: uniqueName('records'),
      topics: [topic],
      fromBeginning: true,
      autoCommit: false,
      fetch: { maxWaitMs: 100 },
      ...(isolationLevel ? { isolationLevel } : {}),
    });
    try {
      return await firstValueFrom(consumer.messages$.pipe(take(count), toArray()));
    } finally {
      await consumer.close();
    }
  };

  it('hides an aborted transaction and the markers from read_committed (the default), not from read_uncommitted', async () => {
    const { bootstrap } = sharedKafka();
    const topic = uniqueName('markers');
    await createTopics(bootstrap, [{ name: topic }]);
    const producer = createProducer({ brokers: [bootstrap], transactionalId: uniqueName('markers-tx') });
    try {
      for (const [value, commit] of [
        ['one', true],
        ['aborted', false],
        ['two', true],
      ] as const) {
        producer.beginTransaction();
        await lastValueFrom(producer.send({ topic, partition: 0, value }));
        await lastValueFrom(commit ? producer.commitTransaction() : producer.abortTransaction());
      }
      // A plain record after the last marker, so that a reader can tell it reached the end.
    } finally {
      await producer.close();
    }
    const plain = createProducer({ brokers: [bootstrap] });
    await lastValueFrom(plain.send({ topic, partition: 0, value: 'end' }));
    await plain.close();

    // Log: one@0, marker@1, aborted@2, marker@3, two@4, marker@5, end@6.
    const committed: ConsumerRecord[] = await read(topic, 3);
    expect(committed.map((r) => [r.value?.toString(), Number(r.offset)])).toEqual([
      ['one', 0],
      ['two', 4],
      ['end', 6],
    ]);
    const all = await read(topic, 4, 'read_uncommitted');
    expect(all.map((r) => [r.value?.toString(), Number(r.offset)])).toEqual([
      ['one', 0],
      ['aborted', 2],
      ['two', 4],
      ['end', 6],
    ]);
  }, 60000);

  it("gives records the broker's append time on a LogAppendTime topic, their own on a CreateTime one", async () => {
    const { bootstrap } = sharedKafka();
    const appendTopic = uniqueName('append-time');
    const createTopic = uniqueName('create-time');
    await createTopics(bootstrap, [
      { name: appendTopic, configs: { 'message.timestamp.type': 'LogAppendTime' } },
      { name: createTopic, configs: { 'message.timestamp.type': 'CreateTime' } },
    ]);
    // Within Kafka's default message.timestamp.before.max.ms (unlimited) and after.max.ms (1 h).
    const own = Date.now() - 60 * 60 * 1000 + 60000;
    const producer = createProducer({ brokers: [bootstrap] });
    const before = Date.now();
    try {
      const [appended] = await lastValueFrom(
        producer.send([
          { topic: appendTopic, partition: 0, value: 'a', timestamp: own },
          { topic: appendTopic, partition: 0, value: 'b', timestamp: own + 1 },
        ]),
      );
      const [created] = await lastValueFrom(
        producer.send([{ topic: createTopic, partition: 0, value: 'c', timestamp: own }]),
      );
      // The producer reports the append time Kafka chose, or -1 on CreateTime topics.
      expect(appended.timestamp).toBeGreaterThanOrEqual(before);
      expect(created.timestamp).toBe(own);
    } finally {
      await producer.close();
    }
    const after = Date.now();
    const appendedRecords = await read(appendTopic, 2);
    expect(appendedRecords[0].timestamp).toBe(appendedRecords[1].timestamp);
    expect(appendedRecords[0].timestamp).toBeGreaterThanOrEqual(before);
    expect(appendedRecords[0].timestamp).toBeLessThanOrEqual(after);
    expect((await read(createTopic, 1))[0].timestamp).toBe(own);
  }, 60000);

  it("puts keyed records on the partitions Java's producer chooses, and reads Java's headers", async () => {
    const { bootstrap } = sharedKafka();
    const javaTopic = uniqueName('keys-java');
    const ourTopic = uniqueName('keys-ours');
    await createTopics(bootstrap, [
      { name: javaTopic, partitions: 7 },
      { name: ourTopic, partitions: 7 },
    ]);
    const keys = Array.from({ length: 40 }, (_, i) => `customer-${i * 7919}`);
    await consoleProduce({
      bootstrap,
      topic: javaTopic,
      records: keys.map((key) => ({
        key,
        value: `java-${key}`,
        headers: [
          ['trace', key],
          ['empty', ''],
        ],
      })),
    });
    const producer = createProducer({ brokers: [bootstrap] });
    await lastValueFrom(producer.send(keys.map((key) => ({ topic: ourTopic, key, value: `ours-${key}` }))));
    await producer.close();

    // One ConsoleConsumer for both topics (a JVM and a group join each cost seconds); values tell them apart.
    const both = await consoleConsume({
      bootstrap,
      include: `${javaTopic}|${ourTopic}`,
      maxMessages: 2 * keys.length,
    });
    // Nothing beyond what was read: the topics' logs hold 40 records each.
    const total = async (topic: string) => (await logEndOffsets(bootstrap, topic)).reduce((a, b) => a + b, 0);
    expect([await total(javaTopic), await total(ourTopic)]).toEqual([keys.length, keys.length]);
    const java = both.filter((r) => r.value.startsWith('java-'));
    const ours = both.filter((r) => r.value.startsWith('ours-'));
    expect([java.length, ours.length]).toEqual([keys.length, keys.length]);
    const partitionOf = (records: typeof java) =>
      Object.fromEntries(records.map((r) => [r.key, r.partition]));
    expect(partitionOf(ours)).toEqual(partitionOf(java));
    expect(keys.map((key) => partitionOf(ours)[key])).toEqual(
      keys.map((key) => partitionForKey(Buffer.from(key), 7)),
    );

    const fromJava = await read(javaTopic, keys.length);
    expect(fromJava.map((r) => r.headers.map(([k, v]) => [k, v?.toString() ?? null]))).toEqual(
      fromJava.map((r) => [
        ['trace', r.key?.toString()],
        ['empty', ''],
      ]),
    );
  }, 60000);
});
