import { lastValueFrom, take, toArray } from 'rxjs';
import { main as workQueue } from '../../examples/work-queue';
import { createAdmin, createConsumer, createProducer } from '../../src';
import { sharedKafka } from '../broker/kafka/shared-kafka';
import { createTopics, uniqueName } from '../broker/kafka/topics';

// examples/work-queue.ts against Apache Kafka (work-queue.tcp.test.ts runs it against the fake cluster).
describe('examples/work-queue on Apache Kafka', () => {
  it('finishes every job: retried ones after their failures, a hopeless one dead-lettered after 3 deliveries', async () => {
    const { bootstrap } = sharedKafka();
    const brokers = [bootstrap];
    const topic = uniqueName('jobs');
    const deadLetterTopic = uniqueName('jobs-dlt');
    const groupId = uniqueName('workers');
    await createTopics(bootstrap, [
      { name: topic, partitions: 2 },
      { name: deadLetterTopic, partitions: 1 },
    ]);
    const admin = createAdmin({ brokers });
    await admin.incrementalAlterConfigs([
      { type: 'group', name: groupId, changes: [{ name: 'share.auto.offset.reset', value: 'earliest' }] },
    ]);
    await admin.close();
    const producer = createProducer({ brokers });
    const jobs = ['ok-1', 'ok-2', 'flaky-1', 'ok-3', 'hopeless', 'ok-4'];
    await lastValueFrom(producer.send(jobs.map((value, i) => ({ topic, partition: i % 2, value }))));
    await producer.close();

    const outcomes = await workQueue({
      brokers,
      topic,
      deadLetterTopic,
      groupId,
      count: jobs.length,
      handle: async (job) => {
        const name = job.value?.toString();
        if (name === 'hopeless' || (name === 'flaky-1' && job.deliveryCount === 1)) throw new Error('failed');
      },
    });

    const byJob = Object.fromEntries(outcomes.map((o) => [o.job, `${o.outcome}#${o.deliveries}`]));
    expect(byJob).toEqual({
      'ok-1': 'done#1',
      'ok-2': 'done#1',
      'flaky-1': 'done#2',
      'ok-3': 'done#1',
      hopeless: 'dead-lettered#3',
      'ok-4': 'done#1',
    });
    const consumer = createConsumer({
      brokers,
      groupId: uniqueName('dlt-reader'),
      topics: [deadLetterTopic],
      fromBeginning: true,
    });
    const dead = await lastValueFrom(consumer.messages$.pipe(take(1), toArray()));
    await consumer.close();
    expect(dead.map((r) => r.value?.toString())).toEqual(['hopeless']);
  }, 90000);
});
