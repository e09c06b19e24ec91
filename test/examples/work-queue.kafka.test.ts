import { lastValueFrom, take, toArray } from 'rxjs';
import { main as workQueue } from '../../examples/work-queue';
import { createConsumer, createProducer } from '../../src';
import { earliestShareGroup } from '../broker/kafka/earliest-share-group';
import { sharedKafka } from '../broker/kafka/shared-kafka';
import { topicWithDeadLetters } from '../broker/kafka/topic-with-dead-letters';
import { uniqueName } from '../broker/kafka/topics';
import { failSomeJobs, JOB_OUTCOMES, JOBS, outcomesByJob } from '../support/work-queue-jobs';

// examples/work-queue.ts against Apache Kafka (work-queue.tcp.test.ts runs it against the fake cluster).
describe('examples/work-queue on Apache Kafka', () => {
  it('finishes every job: retried ones after their failures, a hopeless one dead-lettered after 3 deliveries', async () => {
    const { bootstrap } = sharedKafka();
    const { brokers, topic, deadLetterTopic } = await topicWithDeadLetters(bootstrap, 'jobs', 2);
    const groupId = uniqueName('workers');
    await earliestShareGroup(bootstrap, groupId);
    const producer = createProducer({ brokers });
    await lastValueFrom(producer.send(JOBS.map((value, i) => ({ topic, partition: i % 2, value }))));
    await producer.close();

    const outcomes = await workQueue({
      brokers,
      topic,
      deadLetterTopic,
      groupId,
      count: JOBS.length,
      handle: failSomeJobs,
    });

    expect(outcomesByJob(outcomes)).toEqual(JOB_OUTCOMES);
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
