import { createFakeCluster, type FakeCluster } from '../../src/testing';
import { refusedPort, runCli, startCli } from './cli-process';

// `kafka-rx consume` as a child process against the fake cluster on a real TCP port.
describe('kafka-rx consume (fake cluster over TCP)', () => {
  let cluster: FakeCluster;
  let brokers: string;

  beforeEach(async () => {
    cluster = createFakeCluster({ topics: { orders: 2, single: 1 } });
    brokers = (await cluster.listen()).brokers.join(',');
  });
  afterEach(() => cluster.close());

  /** `kafka-rx consume` of `topic` on the cluster, with `flags`. */
  const consumeArgs = (topic: string, ...flags: string[]) => [
    'consume',
    '--brokers',
    brokers,
    '--topic',
    topic,
    ...flags,
  ];

  it('prints the value of each record, one line each, and stops after --count', async () => {
    cluster.append('orders', 0, [{ value: 'a0' }, { value: 'a1' }, { value: 'a2' }]);
    cluster.append('orders', 1, [{ value: 'b0' }, { value: 'b1' }]);
    // One record more than --count asks for, so that stopping is the flag's doing.
    cluster.append('orders', 1, [{ value: 'b2' }]);

    const run = await runCli(consumeArgs('orders', '--from-beginning', '--count', '5'));

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(5);
    // Order within a partition is kept; between partitions it is whatever the fetches bring.
    expect(lines.filter((l) => l.startsWith('a'))).toEqual(
      ['a0', 'a1', 'a2'].slice(0, lines.filter((l) => l.startsWith('a')).length),
    );
    expect(lines.filter((l) => l.startsWith('b'))).toEqual(
      ['b0', 'b1', 'b2'].slice(0, lines.filter((l) => l.startsWith('b')).length),
    );
  });

  it('with --json prints topic, partition, offset (a string), timestamp, key, value and headers', async () => {
    cluster.append('single', 0, [
      {
        key: 'k-1',
        value: 'hello',
        headers: [
          ['trace', 't-1'],
          ['empty', null],
        ],
        timestamp: 1700000000123,
      },
      { key: null, value: null, timestamp: 1700000000456 },
      { key: 'ünï', value: '{"nested":true}', timestamp: 1700000000789 },
    ]);

    const run = await runCli(consumeArgs('single', '--from-beginning', '--count', '3', '--json'));

    expect(run.code).toBe(0);
    expect(
      run.stdout
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual([
      {
        topic: 'single',
        partition: 0,
        offset: '0',
        timestamp: 1700000000123,
        key: 'k-1',
        value: 'hello',
        headers: [
          ['trace', 't-1'],
          ['empty', null],
        ],
      },
      {
        topic: 'single',
        partition: 0,
        offset: '1',
        timestamp: 1700000000456,
        key: null,
        value: null,
        headers: [],
      },
      {
        topic: 'single',
        partition: 0,
        offset: '2',
        timestamp: 1700000000789,
        key: 'ünï',
        value: '{"nested":true}',
        headers: [],
      },
    ]);
  });

  it('with --group commits what it printed, so the next run goes on from there', async () => {
    cluster.append(
      'single',
      0,
      ['r0', 'r1', 'r2', 'r3', 'r4'].map((value) => ({ value })),
    );
    const args = consumeArgs('single', '--group', 'billing', '--from-beginning');

    const first = await runCli([...args, '--count', '3']);
    expect(first.code).toBe(0);
    expect(first.stdout).toBe('r0\nr1\nr2\n');
    expect(cluster.committedOffsets('billing').map((c) => [c.partition, c.offset])).toEqual([[0, 3n]]);

    const second = await runCli([...args, '--count', '2']);
    expect(second.code).toBe(0);
    expect(second.stdout).toBe('r3\nr4\n');
  });

  it('starts at the end of the log without --from-beginning', async () => {
    cluster.append('single', 0, [{ value: 'old' }]);
    const cli = startCli(consumeArgs('single', '--group', 'tail', '--count', '1'));
    // When the consumer looks up the log end is not visible from outside: keep appending until
    // it prints one. Whatever it prints must be one of the new records, never the old one.
    let appended = 0;
    while (cli.stdout() === '' && cli.child.exitCode === null && appended < 100) {
      cluster.append('single', 0, [{ value: `new-${appended++}` }]);
      await new Promise((r) => setTimeout(r, 200));
    }
    const run = await cli.done;
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^new-\d+\n$/);
  });

  it('on SIGINT commits, leaves the group and exits 0', async () => {
    cluster.append('single', 0, [{ value: 'x0' }, { value: 'x1' }]);
    const cli = startCli(consumeArgs('single', '--group', 'g-int', '--from-beginning'));
    await cli.lines(2);
    cli.child.kill('SIGINT');
    const run = await cli.done;

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(cluster.committedOffsets('g-int').map((c) => c.offset)).toEqual([2n]);
    expect(cluster.groups.describe('g-int')?.members ?? []).toEqual([]);
  });

  it('says so when the topic does not exist (exit 1)', async () => {
    const run = await runCli(consumeArgs('nope', '--count', '1'));
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`kafka-rx: UnknownTopicError: topic "nope" does not exist on ${brokers}\n`);
    expect(run.stdout).toBe('');
  });
});

describe('kafka-rx consume: errors', () => {
  it('exits 1 with an error naming the address when nothing listens there', async () => {
    const port = await refusedPort();
    const run = await runCli(['consume', '--brokers', `127.0.0.1:${port}`, '--topic', 't'], {
      killAfterMs: 20000,
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      new RegExp(
        `^kafka-rx: BootstrapError: no bootstrap broker answered \\(127\\.0\\.0\\.1:${port}: .*refused`,
      ),
    );
    expect(run.stdout).toBe('');
  });

  it.each([
    [['--topic', 't'], '--brokers is required'],
    [['--brokers', '127.0.0.1:9092'], '--topic is required'],
    [
      ['--brokers', '127.0.0.1:9092', '--topic', 't', '--count', 'ten'],
      '--count takes a whole number, not "ten"',
    ],
    [['--brokers', '127.0.0.1:9092', '--topic', 't', '--count', '0'], '--count must be at least 1'],
    [['--brokers', 'localhost:99999', '--topic', 't'], '--brokers: "localhost:99999" is not host:port'],
    [['--brokers', '127.0.0.1:9092', '--topic', 't', '--colour'], 'unknown flag --colour'],
    [
      ['--brokers', '127.0.0.1:9092', '--topic', 't', '--grop', 'g'],
      'unknown flag --grop (did you mean --group?)',
    ],
    [['-b', '127.0.0.1:9092', '-t', 't', '-Q'], 'unknown flag -Q'],
    [
      ['-b', '127.0.0.1:9092', '-t', 't', '-o', 'middle'],
      '--offset must be beginning, end, stored, N, -N or s@<ms since epoch>, not "middle"',
    ],
    [
      ['-b', '127.0.0.1:9092', '-t', 't', '-J', '--json'],
      'give one of --json, -J, -f, -K, not --json and -J',
    ],
    [
      ['-b', '127.0.0.1:9092', '-t', 't', '-X', 'client.idd=me'],
      '-X: kafka-rx does not know the setting "client.idd" (did you mean client.id?); it knows client.id, security.protocol, sasl.mechanism, sasl.mechanisms, sasl.username, sasl.password, ssl.ca.location, enable.ssl.certificate.verification',
    ],
  ])('%j is a usage error (exit 2, message and usage on stderr)', async (args, message) => {
    const run = await runCli(['consume', ...args]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    const [first, usage] = run.stderr.split('\n');
    expect(first).toBe(`kafka-rx: UsageError: ${message}`);
    expect(usage).toMatch(/^kafka-rx consume --brokers H:P/);
  });
});
