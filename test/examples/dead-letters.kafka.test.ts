import { lastValueFrom, take, toArray } from 'rxjs';
import { main as deadLetters } from '../../examples/dead-letters';
import { createAdmin, createConsumer, createProducer, deadLetterHeaders, deserializers } from '../../src';
import { sharedKafka } from '../broker/kafka/shared-kafka';
import { topicWithDeadLetters } from '../broker/kafka/topic-with-dead-letters';
import { uniqueName } from '../broker/kafka/topics';

// examples/dead-letters.ts over TCP against Apache Kafka: good and bad JSON in, the good shipped,
// the bad in the dead-letter topic with the headers, and the group's commits past both.
describe('examples/dead-letters on Apache Kafka', () => {
  it('ships good orders, dead-letters unreadable and failing ones with headers, and commits all', async () => {
    const { brokers, topic, deadLetterTopic } = await topicWithDeadLetters(
      sharedKafka().bootstrap,
      'orders',
      2,
    );
    const groupId = uniqueName('shipping');
    const producer = createProducer({ brokers });
    const values = [
      '{"id":"o-1","total":250}',
      '{"id":"o-2",',
      '{"id":"o-3","total":-5}',
      'not json',
      '{"id":"o-5","total":12}',
      '{"id":"o-6","total":7}',
    ];
    await producer.send(
      values.map((value, i) => ({
        topic,
        partition: i % 2,
        key: `o-${i + 1}`,
        value,
        headers: { n: String(i) },
      })),
    );
    await producer.close();

    const shipped: string[] = [];
    const outcomes = await deadLetters({
      brokers,
      topic,
      deadLetterTopic,
      groupId,
      count: values.length,
      ship: async (order) => {
        if (order.total < 0) throw new Error(`cannot ship ${order.id}`);
        shipped.push(order.id);
      },
    });

    expect(outcomes.filter((o) => o.outcome === 'shipped')).toHaveLength(3);
    expect(shipped.sort()).toEqual(['o-1', 'o-5', 'o-6']);

    // Kafka has the dead letters: the bytes as produced, the record's headers, and why.
    const reader = createConsumer({
      brokers,
      groupId: uniqueName('dlt-reader'),
      topics: [deadLetterTopic],
      fromBeginning: true,
      deserializers: {
        key: deserializers.string,
        value: deserializers.string,
        headers: deserializers.string,
      },
    });
    const dead = await lastValueFrom(reader.messages$.pipe(take(3), toArray()));
    await reader.close();
    const byKey = Object.fromEntries(
      dead.map((r) => [r.key, { value: r.value, headers: Object.fromEntries(r.headers) }]),
    );
    expect(Object.keys(byKey).sort()).toEqual(['o-2', 'o-3', 'o-4']);
    expect(byKey['o-3']).toEqual({
      value: '{"id":"o-3","total":-5}',
      headers: {
        n: '2',
        [deadLetterHeaders.reason]: 'processing',
        [deadLetterHeaders.error]: 'Error: cannot ship o-3',
        [deadLetterHeaders.attempts]: '3',
        [deadLetterHeaders.topic]: topic,
        [deadLetterHeaders.partition]: '0',
        [deadLetterHeaders.offset]: '1',
      },
    });
    expect(byKey['o-4'].value).toBe('not json');
    expect(byKey['o-4'].headers).toMatchObject({
      n: '3',
      [deadLetterHeaders.reason]: 'deserialization',
      [deadLetterHeaders.part]: 'value',
      [deadLetterHeaders.topic]: topic,
      [deadLetterHeaders.partition]: '1',
      [deadLetterHeaders.offset]: '1',
    });
    expect(byKey['o-2'].headers[deadLetterHeaders.reason]).toBe('deserialization');

    // The group's commits cover every record, shipped and dead-lettered.
    const admin = createAdmin({ brokers });
    const committed = await admin.fetchOffsets(groupId);
    await admin.close();
    expect(committed.map((c) => [c.topic, c.partition, c.offset]).sort()).toEqual([
      [topic, 0, 3n],
      [topic, 1, 3n],
    ]);
  }, 90000);
});
