import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import { createConsumer } from '../../src/consumer';
import { createFakeCluster, type FakeCluster } from '../../src/testing';

// The fake cluster's admin APIs, checked by an outside client: KafkaJS's admin encodes the
// requests and decodes the answers with its own code.
describe("fake cluster's admin APIs, checked by KafkaJS's admin", () => {
  let cluster: FakeCluster;
  let kafka: Kafka;

  beforeEach(async () => {
    cluster = createFakeCluster({ brokers: 3, autoCreateTopics: false });
    const { brokers } = await cluster.listen();
    kafka = new Kafka({
      brokers,
      clientId: 'kafkajs-admin-check',
      logLevel: logLevel.NOTHING,
      retry: { retries: 2 },
    });
  });
  afterEach(() => cluster.close());

  it('creates, grows, configures and deletes topics', async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      expect(
        await admin.createTopics({
          topics: [
            { topic: 'audit', numPartitions: 2, configEntries: [{ name: 'retention.ms', value: '60000' }] },
          ],
        }),
      ).toBe(true);
      expect(await admin.createTopics({ topics: [{ topic: 'audit' }] })).toBe(false);
      expect(await admin.listTopics()).toEqual(['audit']);
      await admin.createPartitions({ topicPartitions: [{ topic: 'audit', count: 3 }] });
      const { topics } = await admin.fetchTopicMetadata({ topics: ['audit'] });
      expect(topics[0].partitions.map((p) => [p.partitionId, p.replicas.length]).sort()).toEqual([
        [0, 3],
        [1, 3],
        [2, 3],
      ]);
      const configs = await admin.describeConfigs({
        resources: [
          { type: ConfigResourceTypes.TOPIC, name: 'audit', configNames: ['retention.ms', 'cleanup.policy'] },
        ],
        includeSynonyms: false,
      });
      expect(
        configs.resources[0].configEntries.map((c) => [c.configName, c.configValue, c.isDefault]).sort(),
      ).toEqual([
        ['cleanup.policy', 'delete', true],
        ['retention.ms', '60000', false],
      ]);
      await admin.deleteTopics({ topics: ['audit'] });
      expect(await admin.listTopics()).toEqual([]);
    } finally {
      await admin.disconnect();
    }
  });

  it('lists, describes, resets and deletes a group that kafka-rx consumed in', async () => {
    cluster.createTopic('orders', 2);
    cluster.append('orders', 0, [{ value: 'a' }, { value: 'b' }]);
    cluster.append('orders', 1, [{ value: 'c' }]);
    const consumer = createConsumer({
      brokers: (await cluster.listen()).brokers,
      groupId: 'billing',
      topics: ['orders'],
      fromBeginning: true,
      clientId: 'rx-member',
    });
    let seen = 0;
    let allSeen: () => void = () => undefined;
    const seenAll = new Promise<void>((resolve) => (allSeen = resolve));
    const subscription = consumer.messages$.subscribe(() => ++seen === 3 && allSeen());
    await seenAll;

    const admin = kafka.admin();
    await admin.connect();
    try {
      const listed = await admin.listGroups();
      expect(listed.groups).toEqual([{ groupId: 'billing', protocolType: 'consumer' }]);
      const live = (await admin.describeGroups(['billing'])).groups[0];
      expect(live).toMatchObject({ groupId: 'billing', state: 'Stable', protocolType: 'consumer' });
      expect(live.members.map((m) => [m.clientId, m.clientHost])).toEqual([['rx-member', '/127.0.0.1']]);
      expect(live.members[0].memberAssignment.length).toBeGreaterThan(0);
      subscription.unsubscribe();
      await consumer.close();
      const { groups } = await admin.describeGroups(['billing']);
      expect(groups[0]).toMatchObject({
        groupId: 'billing',
        state: 'Empty',
        protocolType: 'consumer',
        members: [],
      });
      const committed = await admin.fetchOffsets({ groupId: 'billing', topics: ['orders'] });
      expect(committed[0].partitions.map((p) => [p.partition, p.offset]).sort()).toEqual([
        [0, '2'],
        [1, '1'],
      ]);
      await admin.setOffsets({
        groupId: 'billing',
        topic: 'orders',
        partitions: [
          { partition: 0, offset: '0' },
          { partition: 1, offset: '0' },
        ],
      });
      expect(cluster.committedOffsets('billing').map((o) => o.offset)).toEqual([0n, 0n]);
      await admin.deleteGroups(['billing']);
      expect((await admin.listGroups()).groups).toEqual([]);
    } finally {
      await admin.disconnect();
    }
  });
});
