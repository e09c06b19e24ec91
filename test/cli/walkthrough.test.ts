import { createFakeCluster, type FakeCluster } from '../../src/testing';
import { cliInProcess, rows, type InProcessRun } from './in-process';
import { readmeCommands } from './readme-commands';

// The README's command-line walk-through, read from the README and run command by command
// against the fake cluster on a loopback port (its address for `localhost`): create a topic,
// produce, consume in a group, see its lag, reset its offsets, delete the group and the topic.
describe('the command-line walk-through of the README', () => {
  let cluster: FakeCluster;
  let address: string;

  beforeEach(async () => {
    cluster = createFakeCluster({ autoCreateTopics: false });
    address = (await cluster.listen()).brokers[0];
  });
  afterEach(() => cluster.close());

  const run = (argv: readonly string[], stdin = ''): Promise<InProcessRun> =>
    cliInProcess(
      argv.map((a) => (a === 'localhost' ? address : a)),
      stdin,
    );

  it('creates a topic, produces, consumes, shows and resets the lag, deletes group and topic', async () => {
    const commands = readmeCommands("A topic's whole life at the command line");
    expect(commands.map((c) => c.argv.slice(0, 2).join(' '))).toEqual([
      'topics create',
      'produce -b',
      'consume -b',
      'produce -b',
      'groups describe',
      'groups reset-offsets',
      'groups delete',
      'topics delete',
    ]);
    const [create, produce, consume, produceLate, describe, reset, deleteGroup, deleteTopic] = commands;

    expect(await run(create.argv)).toEqual({ code: 0, stdout: 'created orders\n', stderr: '' });
    expect(await run(produce.argv, produce.stdin)).toMatchObject({
      code: 0,
      stderr: 'produced 3 records to orders\n',
    });
    const consumed = await run(consume.argv);
    expect(consumed.code).toBe(0);
    expect(consumed.stdout.split('\n').filter(Boolean).sort()).toEqual(['k1=hello', 'k2=world', 'k3=again']);
    expect(await run(produceLate.argv, produceLate.stdin)).toMatchObject({ code: 0 });
    expect(cluster.records('orders', 0).at(-1)?.value?.toString()).toBe('late');

    const ends = [0, 1].map((p) => cluster.offsets('orders', p).highWatermark);
    const described = await run(describe.argv);
    expect(described.code).toBe(0);
    const [notice, ...table] = described.stdout.split('\n');
    expect(notice).toBe("Consumer group 'billing' has no active members.");
    expect(rows(table.join('\n'))).toEqual([
      [
        'GROUP',
        'TOPIC',
        'PARTITION',
        'CURRENT-OFFSET',
        'LOG-END-OFFSET',
        'LAG',
        'CONSUMER-ID',
        'HOST',
        'CLIENT-ID',
      ],
      ['billing', 'orders', '0', String(ends[0] - 1n), String(ends[0]), '1', '-', '-', '-'],
      ['billing', 'orders', '1', String(ends[1]), String(ends[1]), '0', '-', '-', '-'],
    ]);

    const dryRun = await run(reset.argv.filter((a) => a !== '--execute'));
    expect(rows(dryRun.stdout)).toEqual([
      ['GROUP', 'TOPIC', 'PARTITION', 'NEW-OFFSET'],
      ['billing', 'orders', '0', '0'],
      ['billing', 'orders', '1', '0'],
    ]);
    expect(dryRun.stderr).toContain('dry run');
    expect(cluster.committedOffsets('billing').map((o) => o.offset)).toEqual([ends[0] - 1n, ends[1]]);
    expect(await run(reset.argv)).toMatchObject({ code: 0, stderr: '' });
    expect(cluster.committedOffsets('billing').map((o) => o.offset)).toEqual([0n, 0n]);
    const lagged = await run(describe.argv);
    expect(
      rows(lagged.stdout)
        .slice(2)
        .map((r) => r[5]),
    ).toEqual([String(ends[0]), String(ends[1])]);

    expect(await run(deleteGroup.argv)).toEqual({ code: 0, stdout: 'deleted billing\n', stderr: '' });
    expect(cluster.groups.list()).toEqual([]);
    expect(await run(deleteTopic.argv)).toEqual({ code: 0, stdout: 'deleted orders\n', stderr: '' });
    expect(await run(['topics', 'list', '-b', 'localhost'])).toEqual({ code: 0, stdout: '', stderr: '' });
  });
});
