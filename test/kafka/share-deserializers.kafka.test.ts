import { filter, lastValueFrom, take, tap, toArray } from 'rxjs';
import {
  createConsumer,
  createProducer,
  createShareConsumer,
  deadLetter,
  deadLetterHeaders,
  deserializers,
  type ShareConsumerEvent,
} from '../../src';
import { earliestShareGroup } from '../broker/kafka/earliest-share-group';
import { sharedKafka } from '../broker/kafka/shared-kafka';
import { topicWithDeadLetters } from '../broker/kafka/topic-with-dead-letters';
import { uniqueName } from '../broker/kafka/topics';

interface Job {
  readonly job: string;
}

// A share consumer with deserializers against Kafka 4.4's share coordinator: typed records, a
// refused one delivered with `error` and announced, and sent to a dead-letter topic by deadLetter
// before it is accepted.
describe('share consumer deserializers on Apache Kafka', () => {
  it('delivers typed records, and dead-letters an unreadable one before accepting it', async () => {
    const { bootstrap } = sharedKafka();
    const { brokers, topic, deadLetterTopic } = await topicWithDeadLetters(bootstrap, 'jobs', 1);
    const groupId = uniqueName('workers');
    await earliestShareGroup(bootstrap, groupId);
    const producer = createProducer({ brokers });
    await producer.send(
      ['{"job":"a"}', '{"job":', '{"job":"c"}'].map((value) => ({ topic, partition: 0, value })),
    );

    const consumer = createShareConsumer({
      brokers,
      groupId,
      topics: [topic],
      acknowledgementMode: 'explicit',
      maxWaitMs: 200,
      deserializers: { value: deserializers.json<Job>() },
    });
    const events: ShareConsumerEvent[] = [];
    consumer.events$.pipe(filter((e) => e.type === 'deserialization-error')).subscribe((e) => events.push(e));
    const seen = await lastValueFrom(
      consumer.records$.pipe(
        deadLetter(producer, deadLetterTopic),
        tap((r) => r.accept()), // a dead letter was accepted already, once written: ignored
        take(3),
        toArray(),
      ),
    );
    // Explicit mode: close rejects with UnacknowledgedRecordsError if any record was left unsettled.
    await consumer.close();

    const jobs = seen.map((r) =>
      r.error === undefined ? r.value?.job : `unreadable ${r.error.part} at ${r.offset}`,
    );
    expect(jobs).toEqual(['a', 'c', 'unreadable value at 1']);
    expect(events).toMatchObject([{ type: 'deserialization-error', topic, partition: 0, offset: 1n }]);

    const reader = createConsumer({
      brokers,
      groupId: uniqueName('dlt-reader'),
      topics: [deadLetterTopic],
      fromBeginning: true,
    });
    const [dead] = await lastValueFrom(reader.messages$.pipe(take(1), toArray()));
    await reader.close();
    await producer.close();
    expect(dead.value?.toString()).toBe('{"job":');
    const headers = Object.fromEntries(dead.headers.map(([n, v]) => [n, v?.toString()]));
    expect(headers).toMatchObject({
      [deadLetterHeaders.reason]: 'deserialization',
      [deadLetterHeaders.topic]: topic,
      [deadLetterHeaders.offset]: '1',
    });
  }, 90000);
});
