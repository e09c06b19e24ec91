import { filter, firstValueFrom } from 'rxjs';
import { createAdmin, type Admin } from '../../src/admin';
import { createConsumer, type Consumer } from '../../src/consumer';
import { createProducer } from '../../src/producer';
import { consoleConsume } from '../broker/kafka/console-tools';
import { runKafkaToolOk } from '../broker/kafka/kafka-tool';
import { sharedKafka } from '../broker/kafka/shared-kafka';
import { uniqueName } from '../broker/kafka/topics';

/** ConsumerGroupCommand --describe --members --verbose: one row per member. */
async function describeMembers(bootstrap: string, groupId: string) {
  const run = await runKafkaToolOk(
    'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand',
    ['--bootstrap-server', bootstrap, '--describe', '--group', groupId, '--members', '--verbose'],
    { timeoutMs: 30000 },
  );
  return run.stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((cols) => cols[0] === groupId)
    .map((cols) => ({
      memberId: cols[1],
      host: cols[2],
      clientId: cols[3],
      partitions: Number(cols[4]),
      // Kafka 4.4 prints the assignment as topic:partitions among other columns.
      assignment: cols.slice(5).find((col) => col.includes(':')),
    }));
}

describe('admin: groups against Apache Kafka', () => {
  const { bootstrap } = sharedKafka();
  let admin: Admin;
  const topic = uniqueName('admin-groups');
  const groupId = uniqueName('admin-groups-group');
  let consumer: Consumer;
  let stop: () => void;

  beforeAll(async () => {
    admin = createAdmin({ brokers: [bootstrap] });
    await admin.createTopics([{ name: topic, partitions: 3 }]);
    consumer = createConsumer({
      brokers: [bootstrap],
      groupId,
      topics: [topic],
      clientId: 'admin-groups-client',
      heartbeatIntervalMs: 1000,
    });
    const assigned = firstValueFrom(consumer.rebalances$.pipe(filter((r) => r.type === 'assigned')));
    const sub = consumer.messages$.subscribe();
    stop = () => sub.unsubscribe();
    await assigned;
  }, 30000);
  afterAll(async () => {
    stop();
    await consumer.close();
    await admin.close();
  });

  it('describes a group with a member as ConsumerGroupCommand --members --verbose does', async () => {
    const missing = uniqueName('admin-no-group');
    const [group, unknown] = await admin.describeGroups([groupId, missing]);
    expect(group).toMatchObject({ groupId, type: 'classic', state: 'Stable', protocolType: 'consumer' });
    expect(group.protocol).not.toBe('');
    expect(group.members).toHaveLength(1);
    const [member] = group.members;
    expect(member.clientId).toBe('admin-groups-client');
    expect(member.assignment).toEqual([0, 1, 2].map((partition) => ({ topic, partition })));
    expect(unknown).toMatchObject({ groupId: missing, state: 'Dead', members: [] });

    const tool = await describeMembers(bootstrap, groupId);
    expect(tool).toEqual([
      {
        memberId: member.memberId,
        host: member.clientHost,
        clientId: member.clientId,
        partitions: 3,
        assignment: `${topic}:0,1,2`,
      },
    ]);
  });

  it('lists groups with their state and type, and filters by them', async () => {
    const all = await admin.listGroups();
    expect(all.find((g) => g.groupId === groupId)).toEqual({
      groupId,
      protocolType: 'consumer',
      state: 'Stable',
      type: 'classic',
    });
    const ids = (list: Array<{ groupId: string }>) => list.map((g) => g.groupId);
    expect(ids(await admin.listGroups({ states: ['Stable'] }))).toContain(groupId);
    expect(ids(await admin.listGroups({ states: ['Empty'] }))).not.toContain(groupId);
    expect(ids(await admin.listGroups({ types: ['classic'] }))).toContain(groupId);
    expect(ids(await admin.listGroups({ types: ['share'] }))).not.toContain(groupId);
  });

  it('deletes empty groups only, reporting the others one by one', async () => {
    const empty = uniqueName('admin-empty-group');
    const [altered] = await admin.alterOffsets(empty, [{ topic, partition: 0, offset: 1 }]);
    expect(altered.error).toBeUndefined();
    const missing = uniqueName('admin-no-group');
    const results = await admin.deleteGroups([groupId, empty, missing]);
    expect(results.map((r) => [r.groupId, r.error?.name])).toEqual([
      [groupId, 'NON_EMPTY_GROUP'],
      [empty, undefined],
      [missing, 'GROUP_ID_NOT_FOUND'],
    ]);
    expect(await admin.fetchOffsets(empty)).toEqual([]);
  });

  it('lists internal topics on request only', async () => {
    expect(await admin.listTopics({ internal: true })).toContain('__consumer_offsets');
    expect(await admin.listTopics()).not.toContain('__consumer_offsets');
  });

  it('describes a group of the KIP-848 protocol, which DescribeGroups alone calls Dead', async () => {
    const group = uniqueName('admin-kip848-group');
    // Kafka's ConsoleConsumer as a KIP-848 member, staying in the group while it waits for records
    // (the topic is empty) and leaving at the one record written once the checks are done.
    const member = consoleConsume({
      bootstrap,
      topic,
      group,
      idleMs: 12000,
      maxMessages: 1,
      properties: { 'group.protocol': 'consumer', 'client.id': 'kip848-client' },
    });
    try {
      let described = (await admin.describeGroups([group]))[0];
      for (
        let i = 0;
        i < 100 && (described.state !== 'Stable' || described.members[0]?.assignment.length !== 3);
        i++
      ) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        described = (await admin.describeGroups([group]))[0];
      }
      expect(described).toMatchObject({
        groupId: group,
        type: 'consumer',
        state: 'Stable',
        protocolType: 'consumer',
      });
      expect(described.members).toEqual([
        expect.objectContaining({
          clientId: 'kip848-client',
          assignment: [0, 1, 2].map((partition) => ({ topic, partition })),
        }),
      ]);
      const tool = await describeMembers(bootstrap, group);
      expect(tool.map((m) => [m.memberId, m.clientId, m.partitions])).toEqual([
        [described.members[0].memberId, 'kip848-client', 3],
      ]);
      const listed = (await admin.listGroups({ types: ['consumer'] })).find((g) => g.groupId === group);
      expect(listed).toMatchObject({ type: 'consumer', state: 'Stable' });
      await expect(admin.resetOffsets(group, [topic], 'earliest')).rejects.toMatchObject({
        name: 'NON_EMPTY_GROUP',
      });
    } finally {
      const producer = createProducer({ brokers: [bootstrap] });
      await firstValueFrom(producer.send({ topic, partition: 0, value: 'done' })).finally(() =>
        producer.close(),
      );
      await member;
    }
  }, 60000);
});
