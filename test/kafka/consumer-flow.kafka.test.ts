import { concatMap, lastValueFrom, map, mergeMap, timer, type Subscription } from 'rxjs';
import { createConsumer, type ConsumerEvent, type RebalanceEvent } from '../../src/consumer';
import { createProducer } from '../../src/producer';
import { sharedKafka } from '../broker/kafka/shared-kafka';
import { createTopics, uniqueName } from '../broker/kafka/topics';
import { waitUntil } from '../support/wait-until';

/** Flow control against Apache Kafka: fetch sessions across pause and resume, slow handlers. */
describe('consumer flow against Apache Kafka', () => {
  it('a paused partition delivers nothing while the other goes on; resumed, it delivers from where it stopped', async () => {
    const { bootstrap } = sharedKafka();
    const topic = uniqueName('pause');
    await createTopics(bootstrap, [{ name: topic, partitions: 2 }]);
    const producer = createProducer({ brokers: [bootstrap] });
    const write = (prefix: string) =>
      lastValueFrom(
        producer.send(
          Array.from({ length: 20 }, (_, i) => ({ topic, partition: i % 2, value: `${prefix}-${i}` })),
        ),
      );
    const consumer = createConsumer({
      brokers: [bootstrap],
      groupId: uniqueName('pause-group'),
      topics: [topic],
      fromBeginning: true,
      fetch: { maxWaitMs: 100 },
    });
    const read: { partition: number; value: string }[] = [];
    const subscription = consumer.messages$.subscribe((r) =>
      read.push({ partition: r.partition, value: r.value!.toString() }),
    );
    try {
      await write('first');
      await waitUntil('the first records', () => read.length === 20);
      consumer.pause([{ topic, partition: 0 }]);
      await write('second');
      await waitUntil(
        "partition 1's second records",
        () => read.filter((r) => r.value.startsWith('second')).length === 10,
      );
      // Several fetches later (maxWaitMs 100), still nothing from the paused partition.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(read.filter((r) => r.value.startsWith('second')).map((r) => r.partition)).toEqual(
        Array(10).fill(1),
      );

      consumer.resume([{ topic, partition: 0 }]);
      await waitUntil("partition 0's second records", () => read.length === 40);
      await write('third');
      await waitUntil('the third records', () => read.length === 60);
      for (const p of [0, 1]) {
        expect(read.filter((r) => r.partition === p).map((r) => r.value)).toEqual(
          ['first', 'second', 'third'].flatMap((prefix) =>
            Array.from({ length: 10 }, (_, i) => `${prefix}-${2 * i + p}`),
          ),
        );
      }
    } finally {
      subscription.unsubscribe();
      await consumer.close();
      await producer.close();
    }
  }, 60000);

  it('a handler slower than the session timeout keeps its membership: heartbeats go on while it works', async () => {
    const { bootstrap } = sharedKafka();
    const topic = uniqueName('slow');
    await createTopics(bootstrap, [{ name: topic }]);
    const producer = createProducer({ brokers: [bootstrap] });
    await lastValueFrom(producer.send([0, 1].map((i) => ({ topic, value: `slow-${i}` }))));
    await producer.close();
    // The test broker's group.min.session.timeout.ms is 2 s (Kafka's default 6 s).
    const sessionTimeoutMs = 3000;
    const handlerMs = 3500;
    const consumer = createConsumer({
      brokers: [bootstrap],
      groupId: uniqueName('slow-group'),
      topics: [topic],
      fromBeginning: true,
      sessionTimeoutMs,
      heartbeatIntervalMs: 500,
      fetch: { maxWaitMs: 100 },
    });
    const rebalances: RebalanceEvent[] = [];
    const events: ConsumerEvent[] = [];
    consumer.rebalances$.subscribe((r) => rebalances.push(r));
    consumer.events$.subscribe((e) => events.push(e));
    const handled: string[] = [];
    const subscription: Subscription = consumer.partitions$
      .pipe(
        mergeMap((p) => p.records$),
        concatMap((r) => timer(handlerMs).pipe(map(() => handled.push(r.value!.toString())))),
      )
      .subscribe();
    try {
      await waitUntil('the partition to be assigned', () => rebalances.length === 1);
      const generation = consumer.groupMetadata().generationId;
      await waitUntil('both records to be handled', () => handled.length === 2, 2 * handlerMs + 5000);
      expect(handled).toEqual(['slow-0', 'slow-1']);
      expect(consumer.groupMetadata().generationId).toBe(generation);
      expect(rebalances.map((r) => r.type)).toEqual(['assigned']);
      const beats = events.filter((e) => e.type === 'heartbeat');
      expect(beats.length).toBeGreaterThan((2 * handlerMs) / 1000);
      expect(
        beats.filter((e) => e.type === 'heartbeat' && (e.errorCode !== 0 || e.generationId !== generation)),
      ).toEqual([]);
    } finally {
      subscription.unsubscribe();
      await consumer.close();
    }
  }, 60000);

  it('a topicPattern subscription takes in a matching topic created later', async () => {
    const { bootstrap } = sharedKafka();
    const prefix = uniqueName('pattern');
    await createTopics(bootstrap, [{ name: `${prefix}-a` }]);
    const producer = createProducer({ brokers: [bootstrap] });
    const consumer = createConsumer({
      brokers: [bootstrap],
      groupId: uniqueName('pattern-group'),
      topicPattern: new RegExp(`^${prefix}-`),
      metadataMaxAgeMs: 500,
      fromBeginning: true,
      fetch: { maxWaitMs: 100 },
    });
    const read: string[] = [];
    const subscription = consumer.messages$.subscribe((r) => read.push(`${r.topic}:${r.value}`));
    try {
      await lastValueFrom(producer.send({ topic: `${prefix}-a`, value: 'one' }));
      await waitUntil('the record of the first topic', () => read.length === 1);
      await createTopics(bootstrap, [{ name: `${prefix}-b` }, { name: `${uniqueName('other')}-b` }]);
      await lastValueFrom(producer.send({ topic: `${prefix}-b`, value: 'two' }));
      await waitUntil('the record of the topic created later', () => read.length === 2);
      expect(read).toEqual([`${prefix}-a:one`, `${prefix}-b:two`]);
    } finally {
      subscription.unsubscribe();
      await consumer.close();
      await producer.close();
    }
  }, 60000);
});
