import { BUILDS } from '../broker/builds';
import { startMockCluster, type MockCluster } from '../broker/mock-cluster';
import { consume as kcatConsume, keyedRecords, produce } from '../broker/kcat';
import { runCli } from './cli-process';

// `kafka-rx consume` against librdkafka's mock broker, with records written by kcat: what the
// command prints is compared with what kcat itself reads back from the same broker.
describe.each(BUILDS)('kafka-rx consume (librdkafka %s mock cluster, records from kcat)', (build) => {
  let cluster: MockCluster;
  const killAfterMs = 25000;

  beforeAll(async () => {
    cluster = await startMockCluster({ brokers: 1, topics: [{ name: 'events', partitions: 3 }], build });
    if (build === 'new') await cluster.setGroupInitialRebalanceDelay(0);
  });
  afterAll(() => cluster.stop());

  it('prints every record as kcat reads it, with --json', async () => {
    const records = keyedRecords(30);
    await produce({
      bootstrap: cluster.bootstrap,
      build,
      topic: 'events',
      records,
      headers: [['source', 'kcat']],
      codec: 'lz4',
    });
    const expected = await kcatConsume({ bootstrap: cluster.bootstrap, build, topic: 'events' });
    expect(expected).toHaveLength(30);

    const run = await runCli(
      [
        'consume',
        '--brokers',
        cluster.bootstrap,
        '--topic',
        'events',
        '--from-beginning',
        '--count',
        '30',
        '--json',
      ],
      { killAfterMs },
    );

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const printed = run.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    const byPlace = (
      a: { partition: number; offset: string | number },
      b: { partition: number; offset: string | number },
    ) => a.partition - b.partition || Number(a.offset) - Number(b.offset);
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

  // A second run in the same group is tested against the fake cluster (consume.test.ts): the mock
  // holds every rebalance of a group that is not new for the session timeout less 1 s (45 s here).
});
