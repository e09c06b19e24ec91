import { filter, firstValueFrom } from 'rxjs';
import { createAdmin } from '../../src/admin';
import { createConsumer } from '../../src/consumer';
import { createProducer } from '../../src/producer';
import { runKafkaToolOk } from '../broker/kafka/kafka-tool';
import { sharedKafka } from '../broker/kafka/shared-kafka';
import { uniqueName } from '../broker/kafka/topics';
import { runKcat } from '../broker/kcat';
import { cliInProcess as cli, rows } from './in-process';

/** kafka-consumer-groups --describe, as rows of cells (its notices and blank lines left out). */
async function kafkaDescribe(bootstrap: string, group: string): Promise<string[][]> {
  const run = await runKafkaToolOk(
    'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand',
    ['--bootstrap-server', bootstrap, '--describe', '--group', group],
    { timeoutMs: 60000 },
  );
  return rows(run.stdout).filter((r) => r[0] === 'GROUP' || r[0] === group);
}

const kcatOk = async (args: string[], bootstrap: string) => {
  const run = await runKcat(args, { bootstrap, timeoutMs: 30000 });
  if (run.code !== 0) throw new Error(`kcat ${args.join(' ')} exited ${run.code}: ${run.stderr}`);
  return run.stdout;
};

// kafka-rx's metadata, consume -J and offsets beside kcat's -L -J, -C -J and -Q -J, and groups
// describe beside Kafka's kafka-consumer-groups --describe, on the same Apache Kafka broker.
describe('kafka-rx beside kcat and kafka-consumer-groups, on Apache Kafka', () => {
  const { bootstrap } = sharedKafka();
  const topic = uniqueName('cli-judged');
  const sent = [
    {
      partition: 0,
      key: 'k0',
      value: 'v0',
      headers: [['h', 'x'] as [string, string]],
      timestamp: 1700000000000,
    },
    { partition: 0, key: null, value: 'v1', timestamp: 1700000001000 },
    { partition: 0, key: 'k2', value: null, timestamp: 1700000002000 },
    { partition: 1, key: 'k3', value: 'v3', timestamp: 1700000001500 },
  ];

  beforeAll(async () => {
    const admin = createAdmin({ brokers: [bootstrap] });
    const [created] = await admin.createTopics([{ name: topic, partitions: 2 }]);
    await admin.close();
    if (created.error) throw created.error;
    const producer = createProducer({ brokers: [bootstrap] });
    await producer.send(sent.map((r) => ({ topic, ...r })));
    await producer.close();
  });

  it('metadata -J says what kcat -L -J says, field for field', async () => {
    const ours = JSON.parse((await cli(['metadata', '-b', bootstrap, '-t', topic, '-J'])).stdout) as Record<
      string,
      unknown
    >;
    const theirs = JSON.parse(await kcatOk(['-L', '-J', '-t', topic], bootstrap)) as Record<string, unknown>;
    expect(ours).toEqual({
      controllerid: theirs.controllerid,
      brokers: theirs.brokers,
      topics: theirs.topics,
    });
  });

  it('consume -J prints what kcat -C -J prints (kcat also says tstype and broker)', async () => {
    const ours = (await cli(['consume', '-b', bootstrap, '-t', topic, '-o', 'beginning', '-e', '-J'])).stdout;
    const theirs = await kcatOk(['-C', '-J', '-t', topic, '-o', 'beginning', '-e'], bootstrap);
    const parsed = (out: string) =>
      out
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { partition: number; offset: number; tstype?: string; broker?: number })
        .map(({ tstype: _tstype, broker: _broker, ...rest }) => rest)
        .sort((a, b) => a.partition - b.partition || a.offset - b.offset);
    expect(parsed(ours)).toHaveLength(4);
    expect(parsed(ours)).toEqual(parsed(theirs));
  });

  it('offsets -J answers as kcat -Q -J: latest, earliest and by time', async () => {
    for (const [time, kcatTime] of [
      ['latest', '-1'],
      ['earliest', '-2'],
      ['1700000001000', '1700000001000'],
    ]) {
      const ours = JSON.parse(
        (await cli(['offsets', '-b', bootstrap, '-t', topic, '--time', time, '-J'])).stdout,
      ) as unknown;
      const theirs = JSON.parse(
        await kcatOk(['-Q', '-J', '-t', `${topic}:0:${kcatTime}`, '-t', `${topic}:1:${kcatTime}`], bootstrap),
      ) as unknown;
      expect({ time, offsets: ours }).toEqual({ time, offsets: theirs });
    }
  });

  it('groups describe shows the rows of kafka-consumer-groups --describe, with and without members', async () => {
    const group = uniqueName('cli-judged-group');
    const consumed = await cli([
      'consume',
      '-b',
      bootstrap,
      '-t',
      topic,
      '-G',
      group,
      '-o',
      'beginning',
      '-c',
      '3',
    ]);
    expect(consumed.code).toBe(0);
    const ours = async () => {
      const run = await cli(['groups', 'describe', '-b', bootstrap, '--group', group]);
      expect(run.code).toBe(0);
      return rows(run.stdout).filter((r) => r[0] === 'GROUP' || r[0] === group);
    };
    const empty = await ours();
    expect(empty.length).toBeGreaterThan(1);
    expect(empty).toEqual(await kafkaDescribe(bootstrap, group));

    // A member that owns both partitions, having committed its position on each.
    const consumer = createConsumer({
      brokers: [bootstrap],
      groupId: group,
      topics: [topic],
      clientId: 'judged-member',
    });
    const subscription = consumer.messages$.subscribe();
    await firstValueFrom(consumer.rebalances$.pipe(filter((r) => r.type === 'assigned')));
    await firstValueFrom(consumer.lag$.pipe(filter((l) => l.length === 2 && l.every((p) => p.lag === 0n))));
    await consumer.commit();
    const live = await ours();
    expect(live.slice(1).map((r) => r[8])).toEqual(['judged-member', 'judged-member']);
    expect(live).toEqual(await kafkaDescribe(bootstrap, group));
    subscription.unsubscribe();
    await consumer.close();
    // Emptied, the group keeps its protocol type (the fake cluster's coordinator does the same).
    const listed = rows((await cli(['groups', 'list', '-b', bootstrap])).stdout);
    expect(listed.find((r) => r[0] === group)).toEqual([group, 'classic', 'Empty', 'consumer']);
  });
});
