import { createFakeCluster, type FakeCluster } from '../../src/testing';
import { cliInProcess as cli, rows } from './in-process';

// The README's command-line walk-through, command by command, against the fake cluster on a
// loopback port: create a topic, produce, consume in a group, see its lag, reset its offsets,
// delete the group and the topic.
describe('the command-line walk-through', () => {
  let cluster: FakeCluster;
  let b: string;

  beforeEach(async () => {
    cluster = createFakeCluster({ autoCreateTopics: false });
    b = (await cluster.listen()).brokers.join(',');
  });
  afterEach(() => cluster.close());

  it('creates a topic, produces, consumes, shows and resets the lag, deletes group and topic', async () => {
    expect(await cli(['topics', 'create', '-b', b, '-t', 'orders', '--partitions', '2'])).toEqual({
      code: 0,
      stdout: 'created orders\n',
      stderr: '',
    });

    const produced = await cli(
      ['produce', '-b', b, '-t', 'orders', '-K', ':'],
      'k1:hello\nk2:world\nk3:again\n',
    );
    expect(produced).toMatchObject({ code: 0, stderr: 'produced 3 records to orders\n' });

    const consumed = await cli([
      'consume',
      '-b',
      b,
      '-t',
      'orders',
      '-G',
      'billing',
      '-o',
      'beginning',
      '-e',
      '-f',
      '%k=%s\\n',
    ]);
    expect(consumed.code).toBe(0);
    expect(consumed.stdout.split('\n').filter(Boolean).sort()).toEqual(['k1=hello', 'k2=world', 'k3=again']);

    await cli(['produce', '-b', b, '-t', 'orders', '-p', '0'], 'late\n');
    const described = await cli(['groups', 'describe', '-b', b, '--group', 'billing']);
    expect(described.code).toBe(0);
    const [notice, header, ...lines] = described.stdout.split('\n').filter(Boolean);
    expect(notice).toBe("Consumer group 'billing' has no active members.");
    expect(header.split(/\s+/)).toEqual([
      'GROUP',
      'TOPIC',
      'PARTITION',
      'CURRENT-OFFSET',
      'LOG-END-OFFSET',
      'LAG',
      'CONSUMER-ID',
      'HOST',
      'CLIENT-ID',
    ]);
    const ends = [0, 1].map((p) => cluster.offsets('orders', p).highWatermark);
    expect(lines.map((l) => l.split(/\s+/))).toEqual([
      ['billing', 'orders', '0', String(ends[0] - 1n), String(ends[0]), '1', '-', '-', '-'],
      ['billing', 'orders', '1', String(ends[1]), String(ends[1]), '0', '-', '-', '-'],
    ]);

    const dryRun = await cli([
      'groups',
      'reset-offsets',
      '-b',
      b,
      '--group',
      'billing',
      '-t',
      'orders',
      '--to-earliest',
    ]);
    expect(rows(dryRun.stdout)).toEqual([
      ['GROUP', 'TOPIC', 'PARTITION', 'NEW-OFFSET'],
      ['billing', 'orders', '0', '0'],
      ['billing', 'orders', '1', '0'],
    ]);
    expect(dryRun.stderr).toContain('dry run');
    expect(cluster.committedOffsets('billing').map((o) => o.offset)).toEqual([ends[0] - 1n, ends[1]]);
    const reset = await cli([
      'groups',
      'reset-offsets',
      '-b',
      b,
      '--group',
      'billing',
      '-t',
      'orders',
      '--to-earliest',
      '--execute',
    ]);
    expect(reset).toMatchObject({ code: 0, stderr: '' });
    expect(cluster.committedOffsets('billing').map((o) => o.offset)).toEqual([0n, 0n]);
    const lagged = await cli(['groups', 'describe', '-b', b, '--group', 'billing']);
    expect(
      rows(lagged.stdout)
        .slice(2)
        .map((r) => r[5]),
    ).toEqual([String(ends[0]), String(ends[1])]);

    expect(await cli(['groups', 'delete', '-b', b, '--group', 'billing'])).toEqual({
      code: 0,
      stdout: 'deleted billing\n',
      stderr: '',
    });
    expect(rows((await cli(['groups', 'list', '-b', b])).stdout)).toEqual([
      ['GROUP', 'TYPE', 'STATE', 'PROTOCOL-TYPE'],
    ]);
    expect(await cli(['topics', 'delete', '-b', b, '-t', 'orders'])).toEqual({
      code: 0,
      stdout: 'deleted orders\n',
      stderr: '',
    });
    expect(await cli(['topics', 'list', '-b', b])).toEqual({ code: 0, stdout: '', stderr: '' });
  });
});
