import { BUILDS, type Build } from '../broker/builds';
import { startMockCluster, type MockCluster } from '../broker/mock-cluster';
import { consume as kcatConsume, keyedRecords, produce } from '../broker/kcat';
import { runCli } from './cli-process';

/**
 * Known consumer failures on librdkafka's mock, seen here and in test/consumer/consumer.mock.test.ts:
 * on 2.12 the coordinator closes the connection at every JoinGroup attempt; on 2.0.2 the group
 * forms but only partition 0 is ever fetched. Until they are fixed these tests run as
 * `it.failing`, which turns red as soon as they pass: then delete the build from this table.
 */
const knownConsumerFailure: Partial<Record<Build, string>> = {
  new: 'no JoinGroup succeeds',
  old: 'only partition 0 is fetched',
};

// `kafka-rx consume` against librdkafka's mock broker, with records written by kcat: what the
// command prints is compared with what kcat itself reads back from the same broker.
describe.each(BUILDS)('kafka-rx consume (librdkafka %s mock cluster, records from kcat)', (build) => {
  let cluster: MockCluster;
  const known = knownConsumerFailure[build] !== undefined;
  const it = known ? global.it.failing : global.it;
  // A consumer that is expected to get stuck is killed sooner, so the expected failure is quick.
  const killAfterMs = known ? 10000 : 25000;

  beforeAll(async () => {
    cluster = await startMockCluster({ brokers: 1, topics: [{ name: 'events', partitions: 3 }], build });
    if (build === 'new') await cluster.setGroupInitialRebalanceDelay(0);
  });
  afterAll(() => cluster.stop());

  it('prints every record as kcat reads it, with --json', async () => {
    const records = keyedRecords(30);
    await produce({ bootstrap: cluster.bootstrap, build, topic: 'events', records, headers: [['source', 'kcat']], codec: 'lz4' });
    const expected = await kcatConsume({ bootstrap: cluster.bootstrap, build, topic: 'events' });
    expect(expected).toHaveLength(30);

    const run = await runCli(
      ['consume', '--brokers', cluster.bootstrap, '--topic', 'events', '--from-beginning', '--count', '30', '--json'],
      { killAfterMs },
    );

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const printed = run.stdout.trimEnd().split('\n').map((line) => JSON.parse(line));
    const byPlace = (a: { partition: number; offset: string | number }, b: { partition: number; offset: string | number }) =>
      a.partition - b.partition || Number(a.offset) - Number(b.offset);
    expect(printed.sort(byPlace)).toEqual(
      expected.sort(byPlace).map((r) => ({
        topic: r.topic,
        partition: r.partition,
        offset: String(r.offset),
        timestamp: r.timestamp,
        key: r.key,
        value: r.value,
        headers: r.headers,
      })),
    );
  });

  it('stops after --count with a group, and the group goes on from its commit', async () => {
    await cluster.createTopic('audit', 1);
    await produce({ bootstrap: cluster.bootstrap, build, topic: 'audit', records: keyedRecords(6, 'a-') });
    const args = ['consume', '--brokers', cluster.bootstrap, '--topic', 'audit', '--group', 'auditors', '--from-beginning'];

    const first = await runCli([...args, '--count', '4'], { killAfterMs });
    expect(first.code).toBe(0);
    expect(first.stdout).toBe('a-value-0\na-value-1\na-value-2\na-value-3\n');

    const second = await runCli([...args, '--count', '2'], { killAfterMs });
    expect(second.code).toBe(0);
    expect(second.stdout).toBe('a-value-4\na-value-5\n');
  });
});
