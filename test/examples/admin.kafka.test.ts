import { main as admin } from '../../examples/admin';
import { sharedKafka } from '../broker/kafka/shared-kafka';
import { uniqueName } from '../broker/kafka/topics';

// examples/admin.ts against Apache Kafka (examples/walkthrough.ts runs the admin calls on the fake cluster).
describe('examples/admin on Apache Kafka', () => {
  it('creates the topic once, describes its 6 partitions, and reads the lag of a group that committed nothing', async () => {
    const { brokers } = sharedKafka();
    const brokerList = brokers.map((b) => `${b.host}:${b.port}`);
    const topic = uniqueName('admin-example');
    const logged: string[] = [];

    const first = await admin({
      brokers: brokerList,
      topic,
      groupId: uniqueName('nobody'),
      log: (l) => logged.push(l),
    });
    const again = await admin({
      brokers: brokerList,
      topic,
      groupId: uniqueName('nobody'),
      log: (l) => logged.push(l),
    });

    expect(first.created.error).toBeUndefined();
    expect(first.described.partitions).toHaveLength(6);
    expect(first.lag).toEqual({ partitions: [], total: 0n });
    expect(again.created.error?.name).toBe('TOPIC_ALREADY_EXISTS');
    expect(logged).toEqual(['TOPIC_ALREADY_EXISTS']);
  });
});
