import { filter, firstValueFrom, lastValueFrom, take, toArray } from 'rxjs';
import { createAdmin, type Admin } from '../../src/admin';
import { createConsumer } from '../../src/consumer';
import { createProducer } from '../../src/producer';
import { runKafkaToolOk } from '../broker/kafka/kafka-tool';
import { sharedKafka } from '../broker/kafka/shared-kafka';
import { uniqueName } from '../broker/kafka/topics';

const BASE_TIME = 1_700_000_000_000;

/** Writes `count` records to a partition, the i-th at BASE_TIME + (first + i) seconds. */
async function produce(bootstrap: string, topic: string, partition: number, first: number, count: number) {
  const producer = createProducer({ brokers: [bootstrap] });
  try {
    await lastValueFrom(
      producer.send(
        Array.from({ length: count }, (_, i) => ({
          topic,
          partition,
          value: `p${partition}-${first + i}`,
          timestamp: BASE_TIME + (first + i) * 1000,
        })),
      ),
    );
  } finally {
    await producer.close();
  }
}

/** A kafka-rx consumer group member that reads `count` records, commits on close and leaves. */
async function consumeAndCommit(bootstrap: string, groupId: string, topic: string, count: number) {
  const consumer = createConsumer({
    brokers: [bootstrap],
    groupId,
    topics: [topic],
    fromBeginning: true,
    heartbeatIntervalMs: 1000,
    fetch: { maxWaitMs: 100 },
  });
  await firstValueFrom(consumer.messages$.pipe(take(count), toArray()));
  await consumer.close();
}

interface GroupRow {
  partition: number;
  current: string;
  end: string;
  lag: string;
}

/** ConsumerGroupCommand --describe: one row per partition of `topic`. */
async function groupCommandDescribe(bootstrap: string, groupId: string, topic: string): Promise<GroupRow[]> {
  const run = await runKafkaToolOk(
    'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand',
    ['--bootstrap-server', bootstrap, '--describe', '--group', groupId],
    { timeoutMs: 30000 },
  );
  return run.stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((cols) => cols[0] === groupId && cols[1] === topic)
    .map((cols) => ({ partition: Number(cols[2]), current: cols[3], end: cols[4], lag: cols[5] }))
    .sort((a, b) => a.partition - b.partition);
}

/** GetOffsetShell --time <time>: `topic:partition:offset` lines as [partition, offset]. */
async function getOffsetShell(
  bootstrap: string,
  topic: string,
  time: string,
): Promise<Array<[number, bigint]>> {
  const run = await runKafkaToolOk(
    'org.apache.kafka.tools.GetOffsetShell',
    ['--bootstrap-server', bootstrap, '--topic', topic, '--time', time],
    { timeoutMs: 30000 },
  );
  return [...run.stdout.matchAll(new RegExp(`^${topic}:(\\d+):(-?\\d*)$`, 'gm'))]
    .map((m): [number, bigint] => [Number(m[1]), BigInt(m[2] === '' ? -1 : m[2])])
    .sort((a, b) => a[0] - b[0]);
}

describe('admin: offsets and lag against Apache Kafka', () => {
  const { bootstrap } = sharedKafka();
  let admin: Admin;
  const topic = uniqueName('admin-offsets');
  const groupId = uniqueName('admin-offsets-group');

  beforeAll(async () => {
    admin = createAdmin({ brokers: [bootstrap] });
    const [created] = await admin.createTopics([{ name: topic, partitions: 3 }]);
    expect(created.error).toBeUndefined();
    // Partition p holds 10 + 5p records; the group reads them all, then more arrive.
    for (const p of [0, 1, 2]) await produce(bootstrap, topic, p, 0, 10 + 5 * p);
    await consumeAndCommit(bootstrap, groupId, topic, 45);
    await produce(bootstrap, topic, 0, 10, 2);
    await produce(bootstrap, topic, 2, 20, 5);
  }, 60000);
  afterAll(() => admin.close());

  it('lists earliest, latest, by-time and max-timestamp offsets as GetOffsetShell does', async () => {
    const latest = await admin.listOffsets([topic]);
    expect(latest.map((o) => [o.partition, o.offset])).toEqual(await getOffsetShell(bootstrap, topic, '-1'));
    expect(latest.map((o) => o.offset)).toEqual([12n, 15n, 25n]);
    const earliest = await admin.listOffsets([topic], 'earliest');
    expect(earliest.map((o) => o.offset)).toEqual([0n, 0n, 0n]);

    const at = BASE_TIME + 12_500; // between the 12th and 13th record of each partition
    const byTime = await admin.listOffsets([topic], { timestamp: at });
    // GetOffsetShell leaves out partitions with no record at or after the time.
    expect(byTime.filter((o) => o.offset >= 0n).map((o) => [o.partition, o.offset])).toEqual(
      await getOffsetShell(bootstrap, topic, String(at)),
    );
    expect(byTime.map((o) => o.offset)).toEqual([-1n, 13n, 13n]);
    expect(byTime[1].timestamp).toBe(BASE_TIME + 13_000);

    const max = await admin.listOffsets([{ topic, partition: 2 }], 'max-timestamp');
    expect(max).toEqual([
      { topic, partition: 2, offset: 24n, timestamp: BASE_TIME + 24_000, leaderEpoch: expect.any(Number) },
    ]);
  });

  it('reports lag per partition and in total as ConsumerGroupCommand --describe does', async () => {
    const lag = await admin.lag(groupId);
    expect(
      lag.partitions.map(({ partition, committed, end, lag: l }) => ({ partition, committed, end, lag: l })),
    ).toEqual([
      { partition: 0, committed: 10n, end: 12n, lag: 2n },
      { partition: 1, committed: 15n, end: 15n, lag: 0n },
      { partition: 2, committed: 20n, end: 25n, lag: 5n },
    ]);
    expect(lag.total).toBe(7n);
    const tool = await groupCommandDescribe(bootstrap, groupId, topic);
    expect(tool).toEqual(
      lag.partitions.map((p) => ({
        partition: p.partition,
        current: String(p.committed),
        end: String(p.end),
        lag: String(p.lag),
      })),
    );
  });

  it('resets an empty group to earliest, a time, an offset and by a shift, as ConsumerGroupCommand then sees', async () => {
    const group = uniqueName('admin-reset-group');
    await consumeAndCommit(bootstrap, group, topic, 52);
    const offsetsOf = async () => (await admin.fetchOffsets(group)).map((o) => o.offset);

    const dry = await admin.resetOffsets(group, [topic], 'earliest', { dryRun: true });
    expect(dry.map((r) => r.offset)).toEqual([0n, 0n, 0n]);
    expect(await offsetsOf()).toEqual([12n, 15n, 25n]);

    const reset = await admin.resetOffsets(group, [topic], 'earliest');
    expect(reset).toEqual([0, 1, 2].map((partition) => ({ topic, partition, offset: 0n })));
    expect(await offsetsOf()).toEqual([0n, 0n, 0n]);

    await admin.resetOffsets(group, [topic], { shift: 3 });
    expect(await offsetsOf()).toEqual([3n, 3n, 3n]);
    await admin.resetOffsets(group, [{ topic, partition: 1 }], { shift: -10 });
    expect(await offsetsOf()).toEqual([3n, 0n, 3n]);

    await admin.resetOffsets(group, [topic], { timestamp: BASE_TIME + 12_500 });
    expect(await offsetsOf()).toEqual([12n, 13n, 13n]);

    await admin.resetOffsets(group, [topic], { offset: 14 });
    expect(await offsetsOf()).toEqual([12n, 14n, 14n]);
    const tool = await groupCommandDescribe(bootstrap, group, topic);
    expect(tool.map((r) => [r.current, r.lag])).toEqual([
      ['12', '0'],
      ['14', '1'],
      ['14', '11'],
    ]);
  });

  it('refuses to reset a group with members', async () => {
    const group = uniqueName('admin-busy-group');
    const consumer = createConsumer({
      brokers: [bootstrap],
      groupId: group,
      topics: [topic],
      heartbeatIntervalMs: 1000,
    });
    const assigned = firstValueFrom(consumer.rebalances$.pipe(filter((r) => r.type === 'assigned')));
    const sub = consumer.messages$.subscribe();
    try {
      await assigned;
      await expect(admin.resetOffsets(group, [topic], 'earliest')).rejects.toMatchObject({
        name: 'NON_EMPTY_GROUP',
        code: 68,
      });
    } finally {
      sub.unsubscribe();
      await consumer.close();
    }
  }, 30000);

  it('alters offsets, with a per-partition error for an unknown partition', async () => {
    const group = uniqueName('admin-alter-group');
    const results = await admin.alterOffsets(group, [
      { topic, partition: 0, offset: 5, metadata: 'by admin' },
      { topic, partition: 1, offset: 7n },
      { topic, partition: 9, offset: 1 },
    ]);
    expect(results.map((r) => r.error?.name)).toEqual([undefined, undefined, 'UNKNOWN_TOPIC_OR_PARTITION']);
    const fetched = await admin.fetchOffsets(group);
    expect(fetched.map(({ partition, offset, metadata }) => ({ partition, offset, metadata }))).toEqual([
      { partition: 0, offset: 5n, metadata: 'by admin' },
      { partition: 1, offset: 7n, metadata: '' },
    ]);
    const only = await admin.fetchOffsets(group, { partitions: [{ topic, partition: 1 }] });
    expect(only.map((o) => o.offset)).toEqual([7n]);
  });

  it('deletes records up to an offset, moving the earliest offset as GetOffsetShell sees it', async () => {
    const name = uniqueName('admin-delete-records');
    await admin.createTopics([{ name, partitions: 2 }]);
    await produce(bootstrap, name, 0, 0, 6);
    await produce(bootstrap, name, 1, 0, 3);
    const results = await admin.deleteRecords([
      { topic: name, partition: 0, before: 4 },
      { topic: name, partition: 1, before: -1 },
      { topic: name, partition: 7, before: 1 },
      { topic: uniqueName('admin-missing'), partition: 0, before: 1 },
    ]);
    expect(results.map((r) => [r.lowWatermark, r.error?.name])).toEqual([
      [4n, undefined],
      [3n, undefined],
      [-1n, 'UNKNOWN_TOPIC_OR_PARTITION'],
      [-1n, 'UNKNOWN_TOPIC_OR_PARTITION'],
    ]);
    expect(await getOffsetShell(bootstrap, name, '-2')).toEqual([
      [0, 4n],
      [1, 3n],
    ]);
    expect((await admin.listOffsets([name], 'earliest')).map((o) => o.offset)).toEqual([4n, 3n]);
  });

  it('reports an unknown topic in listOffsets per item', async () => {
    const missing = uniqueName('admin-missing');
    const results = await admin.listOffsets([missing, { topic, partition: 0 }]);
    expect(results.map((r) => [r.topic, r.partition, r.error?.name])).toEqual([
      [missing, -1, 'UNKNOWN_TOPIC_OR_PARTITION'],
      [topic, 0, undefined],
    ]);
  });
});
