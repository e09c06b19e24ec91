import { firstValueFrom, lastValueFrom, take, toArray } from 'rxjs';
import { createConsumer, type ConsumerEvent } from '../../src/consumer';
import { createCluster } from '../../src/cluster/create-cluster';
import { OffsetCommit } from '../../src/protocol/specs';
import { createProducer } from '../../src/producer';
import { createTcpTransport } from '../../src/transport/tcp-transport';
import { sharedKafka } from '../broker/kafka/shared-kafka';
import { createTopics, uniqueName } from '../broker/kafka/topics';

/** Answers only a real broker gives: limits it enforces, offsets it no longer has, topics it lacks. */
describe('edges against Apache Kafka', () => {
  it("refuses a record above the topic's max.message.bytes with RecordTooLargeError; smaller ones go through", async () => {
    const { bootstrap } = sharedKafka();
    const topic = uniqueName('limits');
    await createTopics(bootstrap, [{ name: topic, configs: { 'max.message.bytes': '2000' } }]);
    const producer = createProducer({ brokers: [bootstrap] });
    try {
      await expect(lastValueFrom(producer.send({ topic, value: 'x'.repeat(5000) }))).rejects.toMatchObject({
        name: 'RecordTooLargeError',
        code: 10, // MESSAGE_TOO_LARGE
      });
      const [ok] = await lastValueFrom(producer.send({ topic, value: 'small' }));
      expect(ok.offset).toBe(0n);
    } finally {
      await producer.close();
    }
  }, 30000);

  it('fails a send to a topic that does not exist (auto-creation off) within maxBlockMs', async () => {
    const producer = createProducer({ brokers: [sharedKafka().bootstrap], maxBlockMs: 2000 });
    const started = performance.now();
    try {
      await expect(
        lastValueFrom(producer.send({ topic: uniqueName('missing'), value: 'v' })),
      ).rejects.toMatchObject({
        name: 'UNKNOWN_TOPIC_OR_PARTITION',
      });
      expect(performance.now() - started).toBeLessThan(10000);
    } finally {
      await producer.close();
    }
  }, 30000);

  it('resets a committed offset beyond the log end (OFFSET_OUT_OF_RANGE) to the earliest one with fromBeginning', async () => {
    const { bootstrap } = sharedKafka();
    const topic = uniqueName('out-of-range');
    const groupId = uniqueName('out-of-range-group');
    await createTopics(bootstrap, [{ name: topic }]);
    const producer = createProducer({ brokers: [bootstrap] });
    await lastValueFrom(producer.send(Array.from({ length: 5 }, (_, i) => ({ topic, value: `v${i}` }))));
    await producer.close();
    // A commit far past the end, as after the log was deleted and recreated.
    const cluster = createCluster({ brokers: [bootstrap], transport: createTcpTransport() });
    try {
      const coordinator = await firstValueFrom(cluster.coordinator(groupId));
      // A fresh group's offsets partition may still be loading: COORDINATOR_LOAD_IN_PROGRESS (14).
      let committed;
      for (let attempt = 0; ; attempt++) {
        committed = await firstValueFrom(
          cluster.request(coordinator, OffsetCommit, {
            groupId,
            generationIdOrMemberEpoch: -1,
            memberId: '',
            topics: [
              {
                name: topic,
                partitions: [{ partitionIndex: 0, committedOffset: 1000n, committedMetadata: null }],
              },
            ],
          }),
        );
        if (committed.topics[0].partitions[0].errorCode !== 14 || attempt > 20) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(committed.topics[0].partitions[0].errorCode).toBe(0);
    } finally {
      await cluster.close();
    }

    const consumer = createConsumer({
      brokers: [bootstrap],
      groupId,
      topics: [topic],
      fromBeginning: true,
      autoCommit: false,
      fetch: { maxWaitMs: 100 },
    });
    const events: ConsumerEvent[] = [];
    consumer.events$.subscribe((e) => events.push(e));
    try {
      const records = await firstValueFrom(consumer.messages$.pipe(take(5), toArray()));
      expect(records.map((r) => [Number(r.offset), r.value?.toString()])).toEqual(
        [0, 1, 2, 3, 4].map((i) => [i, `v${i}`]),
      );
      expect(
        events.filter((e) => e.type === 'offset-reset').map((e) => e.type === 'offset-reset' && e.offset),
      ).toEqual([0n]);
    } finally {
      await consumer.close();
    }
  }, 30000);
});
