import { firstValueFrom, lastValueFrom } from 'rxjs';
import { createConsumer, type ConsumerRecord } from '../../../../src/consumer';
import { createProducer } from '../../../../src/producer';
import { sharedKafka } from '../shared-kafka';
import { createTopics, uniqueName } from '../topics';
import { describeGroup } from './describe-group';
import { waitUntil } from './wait-until';

const PARTITIONS = 4;
const N = 100;

// kafka-consumer-groups (Kafka's ConsumerGroupCommand) judges what kafka-rx's group tells the coordinator.
describe('kafka-consumer-groups --describe on a kafka-rx group', () => {
  it('shows the members, their partitions, the offsets kafka-rx committed and the state of the group', async () => {
    const { bootstrap } = sharedKafka();
    const topic = uniqueName('judge-describe');
    const group = uniqueName('judge-describe-group');
    await createTopics(bootstrap, [{ name: topic, partitions: PARTITIONS }]);
    const producer = createProducer({ brokers: [bootstrap] });
    try {
      await lastValueFrom(
        producer.send(Array.from({ length: N }, (_, i) => ({ topic, key: `k${i}`, value: `v${i}` }))),
      );
    } finally {
      await producer.close();
    }

    const members = ['judge-a', 'judge-b'].map((clientId) => {
      const consumer = createConsumer({
        brokers: [bootstrap],
        groupId: group,
        topics: [topic],
        clientId,
        fromBeginning: true,
        autoCommit: false,
        sessionTimeoutMs: 10000,
        heartbeatIntervalMs: 500,
        fetch: { maxWaitMs: 100 },
      });
      const state = { clientId, consumer, memberId: '', owned: 0, records: [] as ConsumerRecord[] };
      consumer.events$.subscribe((e) => {
        if (e.type === 'join') state.memberId = e.memberId;
        if (e.type === 'sync') state.owned = e.assignment.length;
      });
      consumer.messages$.subscribe((r) => state.records.push(r));
      return state;
    });
    const all = (): number => members.reduce((n, m) => n + m.records.length, 0);
    try {
      await waitUntil(
        () => all() === N && members.every((m) => m.owned === PARTITIONS / 2),
        30000,
        `two members of 2 partitions each read ${N} records (read ${all()})`,
      );
      const committed = new Map<number, bigint>();
      for (const m of members) {
        const result = await firstValueFrom(m.consumer.commit());
        expect(result.error).toBeUndefined();
        for (const o of result.offsets) committed.set(o.partition, o.offset);
      }
      expect([...committed.keys()].sort()).toEqual([0, 1, 2, 3]);

      const offsets = await describeGroup(bootstrap, group);
      expect(
        offsets
          .map((r) => ({
            group: r.GROUP,
            topic: r.TOPIC,
            partition: Number(r.PARTITION),
            current: BigInt(r['CURRENT-OFFSET']),
            logEnd: BigInt(r['LOG-END-OFFSET']),
            lag: r.LAG,
            consumerId: r['CONSUMER-ID'],
            clientId: r['CLIENT-ID'],
          }))
          .sort((a, b) => a.partition - b.partition),
      ).toEqual(
        [0, 1, 2, 3].map((p) => {
          const owner = members.find((m) => m.records.some((r) => r.partition === p))!;
          return {
            group,
            topic,
            partition: p,
            current: committed.get(p),
            logEnd: committed.get(p),
            lag: '0',
            consumerId: owner.memberId,
            clientId: owner.clientId,
          };
        }),
      );
      expect([...committed.values()].reduce((a, b) => a + b, 0n)).toBe(BigInt(N));

      const listed = await describeGroup(bootstrap, group, '--members', '--verbose');
      expect(
        listed
          .map((r) => ({
            consumerId: r['CONSUMER-ID'],
            host: r.HOST,
            clientId: r['CLIENT-ID'],
            partitions: Number(r['#PARTITIONS']),
            assignment: r['CURRENT-ASSIGNMENT'],
          }))
          .sort((a, b) => a.clientId.localeCompare(b.clientId)),
      ).toEqual(
        members.map((m) => ({
          consumerId: m.memberId,
          host: '/127.0.0.1',
          clientId: m.clientId,
          partitions: PARTITIONS / 2,
          assignment: `${topic}:${[...new Set(m.records.map((r) => r.partition))].sort().join(',')}`,
        })),
      );

      const state = await describeGroup(bootstrap, group, '--state');
      expect(
        state.map((r) => ({ strategy: r['ASSIGNMENT-STRATEGY'], state: r.STATE, members: r['#MEMBERS'] })),
      ).toEqual([{ strategy: 'range', state: 'Stable', members: '2' }]);
    } finally {
      await Promise.all(members.map((m) => m.consumer.close()));
    }
  }, 60000);
});
