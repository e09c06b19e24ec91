import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { parseBrokers, parseFlags } from '../../src/cli/args';
import { connectionOf } from '../../src/cli/client-settings';
import { createFakeCluster, type FakeCluster } from '../../src/testing';
import { createAdmin } from '../../src/admin';
import { cliInProcess as cli } from './in-process';

describe('broker addresses and flags', () => {
  it('takes a host alone as port 9092, as kcat does', () => {
    expect(parseBrokers('localhost,10.0.0.1:9093, kafka-2')).toEqual([
      'localhost:9092',
      '10.0.0.1:9093',
      'kafka-2:9092',
    ]);
  });

  it('reads short flags with the value attached or apart, values that start with -, and repeated flags', () => {
    const files: string[] = [];
    const flags = parseFlags(
      ['-bh:1', '-o', '-10', '-H', 'a=1', '-H', 'b=2', '-e', 'file'],
      {
        brokers: { kind: 'string', short: 'b' },
        offset: { kind: 'string', short: 'o' },
        header: { kind: 'string', short: 'H', repeated: true },
        end: { kind: 'boolean', short: 'e' },
      },
      files,
    );
    expect(flags).toEqual({ brokers: 'h:1', offset: '-10', header: ['a=1', 'b=2'], end: true });
    expect(files).toEqual(['file']);
  });
});

describe('-X client settings', () => {
  const connection = (...settings: string[]) => connectionOf({ brokers: 'h', X: settings }, 'default-id');

  it("maps librdkafka's names onto the connection: client id, TLS, SASL", () => {
    expect(connection()).toEqual({ brokers: ['h:9092'], clientId: 'default-id' });
    expect(
      connection(
        'client.id=me',
        'security.protocol=SASL_SSL',
        'sasl.mechanisms=SCRAM-SHA-512',
        'sasl.username=alice',
        'sasl.password=secret',
        'enable.ssl.certificate.verification=false',
      ),
    ).toEqual({
      brokers: ['h:9092'],
      clientId: 'me',
      tls: { rejectUnauthorized: false },
      sasl: { mechanism: 'scram-sha-512', username: 'alice', password: 'secret' },
    });
    expect(connection('security.protocol=ssl')).toMatchObject({ tls: true });
  });

  it('refuses what it cannot honour', () => {
    expect(() => connection('security.protocol=sasl_plaintext')).toThrow(
      '-X sasl.username and sasl.password are required with SASL',
    );
    expect(() => connection('security.protocol=sasl_plaintext', 'sasl.mechanism=GSSAPI')).toThrow(
      '-X sasl.mechanism must be PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512, not "GSSAPI"',
    );
    expect(() => connection('client.id')).toThrow('-X: "client.id" is not name=value');
  });
});

// kcat's flags of consume, produce, metadata and offsets, against the fake cluster on a loopback port.
describe('kcat-style commands against the fake cluster', () => {
  let cluster: FakeCluster;
  let b: string;

  beforeEach(async () => {
    cluster = createFakeCluster({ brokers: 2, topics: { t: 2 } });
    cluster.append('t', 0, [
      {
        key: 'k0',
        value: 'v0',
        headers: [
          ['h', 'x'],
          ['n', null],
        ],
        timestamp: 1000,
      },
      { key: null, value: 'v1', timestamp: 2000 },
      { key: 'k2', value: null, timestamp: 3000 },
    ]);
    cluster.append('t', 1, [{ key: 'k9', value: 'w0', timestamp: 1500 }]);
    b = (await cluster.listen()).brokers.join(',');
  });
  afterEach(() => cluster.close());

  const lines = (s: string) => s.split('\n').filter(Boolean);
  /** `kafka-rx consume -b <the cluster> -t t` with `flags`. */
  const consume = (...flags: string[]) => cli(['consume', '-b', b, '-t', 't', ...flags]);

  it("consume -J prints kcat's JSON, -e stops at the end", async () => {
    const run = await consume('-o', 'beginning', '-e', '-p', '0', '-J');
    expect(run.code).toBe(0);
    expect(lines(run.stdout).map((l) => JSON.parse(l) as unknown)).toEqual([
      {
        topic: 't',
        partition: 0,
        offset: 0,
        ts: 1000,
        headers: ['h', 'x', 'n', null],
        key: 'k0',
        payload: 'v0',
      },
      { topic: 't', partition: 0, offset: 1, ts: 2000, key: null, payload: 'v1' },
      { topic: 't', partition: 0, offset: 2, ts: 3000, key: 'k2', payload: null },
    ]);
  });

  it('consume --group-protocol consumer joins as a KIP-848 member; a bad value is a usage error', async () => {
    const run = await consume(
      '-G',
      'g848',
      '--group-protocol',
      'consumer',
      '-o',
      'beginning',
      '-e',
      '-f',
      '%p:%o\\n',
    );
    expect(run.code).toBe(0);
    expect(lines(run.stdout).sort()).toEqual(['0:0', '0:1', '0:2', '1:0']);
    // Only a member of the consumer group protocol makes this group on the fake cluster.
    expect(cluster.groups.describeConsumerGroup('g848')).toBeDefined();
    const classic = await consume('-G', 'gclassic', '-o', 'beginning', '-e');
    expect(classic.code).toBe(0);
    expect(cluster.groups.describeConsumerGroup('gclassic')).toBeUndefined();
    const bad = await consume('--group-protocol', 'eager');
    expect(bad.code).toBe(2);
    expect(bad.stderr.split('\n')[0]).toBe(
      'kafka-rx: UsageError: --group-protocol must be classic or consumer, not "eager"',
    );
  });

  it('consume -f formats as kcat, -K prints key DELIM value, -c counts', async () => {
    const formatted = await consume('-o', 'beginning', '-e', '-f', '%t|%p|%o|%k|%s|%h|%T|%S|%K%%\\n');
    expect(lines(formatted.stdout).sort()).toEqual([
      't|0|0|k0|v0|h=x,n=NULL|1000|2|2%',
      't|0|1||v1||2000|2|-1%',
      't|0|2|k2|||3000|-1|2%',
      't|1|0|k9|w0||1500|2|2%',
    ]);
    const keyed = await consume('-o', 'beginning', '-p', '1', '-K', '\t', '-c', '1');
    expect(keyed.stdout).toBe('k9\tw0\n');
  });

  it('consume -o N, -N, s@MS and end pick where each partition starts', async () => {
    const from = async (offset: string) =>
      lines((await consume('-p', '0', '-o', offset, '-e', '-f', '%o\\n')).stdout);
    expect(await from('1')).toEqual(['1', '2']);
    expect(await from('-1')).toEqual(['2']);
    expect(await from('-10')).toEqual(['0', '1', '2']);
    expect(await from('s@1500')).toEqual(['1', '2']);
    expect(await from('s@9000')).toEqual([]);
    expect(await from('end')).toEqual([]);
  });

  it('produce -p, -H and file arguments (each file one record; -l one per line)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kafka-rx-produce-'));
    writeFileSync(join(dir, 'a.txt'), 'line 1\nline 2\n');
    writeFileSync(join(dir, 'b.bin'), Buffer.from([0, 1, 2]));
    const files = await cli([
      'produce',
      '-b',
      b,
      '-t',
      't',
      '-p',
      '1',
      '-H',
      'src=file',
      join(dir, 'a.txt'),
      join(dir, 'b.bin'),
    ]);
    expect(files).toMatchObject({ code: 0, stderr: 'produced 2 records to t\n' });
    const byLine = await cli(['produce', '-b', b, '-t', 't', '-p', '1', '-l', join(dir, 'a.txt')]);
    expect(byLine.code).toBe(0);
    const log = cluster.records('t', 1).slice(1);
    expect(log.map((r) => [r.value, r.headers.map(([k, v]) => `${k}=${v?.toString()}`)])).toEqual([
      [Buffer.from('line 1\nline 2\n'), ['src=file']],
      [Buffer.from([0, 1, 2]), ['src=file']],
      [Buffer.from('line 1'), []],
      [Buffer.from('line 2'), []],
    ]);
    const badPartition = await cli(['produce', '-b', b, '-t', 't', '-p', '7'], 'x\n');
    expect(badPartition.code).toBe(2);
    expect(badPartition.stderr).toContain('--partition: topic "t" has partitions 0 to 1');
  });

  it('produce shows records/s on standard error while it is a terminal', async () => {
    const input = new PassThrough();
    input.write('a\n');
    setTimeout(() => input.end('b\n'), 1200);
    const run = await cli(['produce', '-b', b, '-t', 't'], input, { tty: true });
    expect(run.code).toBe(0);
    expect(run.stderr.startsWith('\r1 records, 1 records/s\x1b[K\n')).toBe(true);
    const piped = await cli(['produce', '-b', b, '-t', 't'], 'c\n');
    expect(piped.stderr).toBe('produced 1 record to t\n');
  });

  it('metadata prints brokers and partitions as kcat -L, and its JSON with -J', async () => {
    const [first, second] = b.split(',');
    const text = await cli(['metadata', '-b', b]);
    expect(text.stdout).toBe(
      [
        ' 2 brokers:',
        `  broker 0 at ${first} (controller)`,
        `  broker 1 at ${second}`,
        ' 1 topics:',
        '  topic "t" with 2 partitions:',
        '    partition 0, leader 0, replicas: 0,1, isrs: 0,1',
        '    partition 1, leader 1, replicas: 1,0, isrs: 1,0',
        '',
      ].join('\n'),
    );
    const json = JSON.parse((await cli(['metadata', '-b', b, '-J', '-t', 't'])).stdout) as unknown;
    expect(json).toEqual({
      controllerid: 0,
      brokers: [
        { id: 0, name: first },
        { id: 1, name: second },
      ],
      topics: [
        {
          topic: 't',
          partitions: [
            { partition: 0, leader: 0, replicas: [{ id: 0 }, { id: 1 }], isrs: [{ id: 0 }, { id: 1 }] },
            { partition: 1, leader: 1, replicas: [{ id: 1 }, { id: 0 }], isrs: [{ id: 1 }, { id: 0 }] },
          ],
        },
      ],
    });
    const missing = await cli(['metadata', '-b', b, '-t', 'nope']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('UNKNOWN_TOPIC_OR_PARTITION');
  });

  it('offsets by time, per partition, and as kcat -Q -J', async () => {
    expect((await cli(['offsets', '-b', b, '-t', 't', '--time', '2500'])).stdout).toBe('t:0:2\nt:1:-1\n');
    expect((await cli(['offsets', '-b', b, '-t', 't', '-p', '1', '--time', 'earliest'])).stdout).toBe(
      't:1:0\n',
    );
    expect(JSON.parse((await cli(['offsets', '-b', b, '-t', 't', '-J'])).stdout)).toEqual({
      t: { topic: 't', '0': { partition: 0, offset: 3 }, '1': { partition: 1, offset: 1 } },
    });
  });

  it("says which action was meant, and prints a command's usage with --help", async () => {
    const typo = await cli(['groups', 'descrbe', '-b', b, '--group', 'g']);
    expect(typo.code).toBe(2);
    expect(typo.stderr.split('\n')[0]).toBe(
      'kafka-rx: UsageError: unknown action "descrbe" (did you mean describe?): give list, describe, delete or reset-offsets',
    );
    expect(await cli(['groups', 'describe', '-b', b, '--group', 'nobody'])).toEqual({
      code: 1,
      stdout: '',
      stderr: "kafka-rx: GROUP_ID_NOT_FOUND: consumer group 'nobody' does not exist\n",
    });
    const help = await cli(['metadata', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout.split('\n')[0]).toBe('kafka-rx metadata -b H:P[,H:P] [-t T] [-J]');
    expect((await cli(['groups', 'reset-offsets', '--help'])).stdout).toContain('--to-earliest');
  });

  it('topics alter-config sets and removes configs', async () => {
    const alterConfig = (...flags: string[]) => cli(['topics', 'alter-config', '-b', b, '-t', 't', ...flags]);
    const set = await alterConfig('--config', 'retention.ms=1000,cleanup.policy=compact');
    expect(set).toEqual({ code: 0, stdout: 'altered t\n', stderr: '' });
    const admin = createAdmin({ brokers: b.split(',') });
    const described = async () =>
      (
        await admin.describeConfigs([{ type: 'topic', name: 't', keys: ['cleanup.policy', 'retention.ms'] }])
      )[0].configs?.map((c) => `${c.name}=${c.value} ${c.source}`);
    expect(await described()).toEqual([
      'cleanup.policy=compact DYNAMIC_TOPIC_CONFIG',
      'retention.ms=1000 DYNAMIC_TOPIC_CONFIG',
    ]);
    const removed = await alterConfig('--delete-config', 'cleanup.policy');
    expect(removed.code).toBe(0);
    const refused = await alterConfig('--config', 'retention.ms=soon');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('t: INVALID_CONFIG');
    expect(await described()).toEqual([
      'cleanup.policy=delete DEFAULT_CONFIG',
      'retention.ms=1000 DYNAMIC_TOPIC_CONFIG',
    ]);
    await admin.close();
  });
});
