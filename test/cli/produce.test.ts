import { PassThrough, Readable } from 'node:stream';
import { asyncScheduler } from 'rxjs';
import { runProduce } from '../../src/cli/produce';
import { createProducerOn, type ProducerConfig } from '../../src/producer';
import { ScriptedProducerCluster } from '../support/scripted-producer-cluster';

function run(argv: string[], input: string, topics: Record<string, number> = { lines: 1 }) {
  const cluster = new ScriptedProducerCluster({ clock: asyncScheduler, topics, rttMs: 0 });
  const configs: ProducerConfig[] = [];
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let err = '';
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const io = { stdin: Readable.from([input]), stdout, stderr };
  const exit = runProduce(argv, io, (config) => {
    configs.push(config);
    return createProducerOn(
      { ...config, maxBlockMs: 50, retryBackoffMs: 10 },
      { cluster, ownsCluster: false },
    );
  });
  return { exit, cluster, configs, stderr: () => err };
}

describe('kafka-rx produce', () => {
  it('produces one record per line, splitting keys at --key-separator', async () => {
    const r = run(
      ['--brokers', 'h:9092', '--topic', 'lines', '--key-separator', '::', '--compression', 'lz4'],
      'k1::v1\nno key here\nk2::v::2\n',
    );
    expect(await r.exit).toBe(0);
    expect(r.configs[0]).toMatchObject({ brokers: ['h:9092'], compression: 'lz4' });
    expect(r.cluster.log('lines', 0).map((x) => [x.key?.toString() ?? null, x.value?.toString()])).toEqual([
      ['k1', 'v1'],
      [null, 'no key here'],
      ['k2', 'v::2'],
    ]);
    expect(r.stderr()).toContain('produced 3 records to lines');
  });

  it('without --key-separator the whole line is the value', async () => {
    const r = run(['--brokers=h:1', '--topic=lines'], 'a:b\n');
    expect(await r.exit).toBe(0);
    expect(r.cluster.log('lines', 0).map((x) => [x.key, x.value?.toString()])).toEqual([[null, 'a:b']]);
  });

  it.each([
    [['--topic', 'lines'], '--brokers is required'],
    [['--brokers', 'h:1'], '--topic is required'],
    [['--brokers', 'nohost:0', '--topic', 'lines'], '"nohost:0" is not host:port'],
    [['--brokers', 'h:1', '--topic', 'lines', '--compression', 'brotli'], '--compression must be one of'],
    [['--brokers', 'h:1', '--topic', 'lines', '--acks', '1'], 'unknown flag --acks'],
  ])('rejects bad flags %j with a message and the usage (exit 2)', async (argv, message) => {
    const r = run(argv, '');
    expect(await r.exit).toBe(2);
    expect(r.stderr()).toContain(message);
    expect(r.stderr()).toContain('usage: kafka-rx produce');
    expect(r.configs).toHaveLength(0);
  });

  it('exits 1 naming the error when the topic does not exist', async () => {
    const r = run(['--brokers', 'h:1', '--topic', 'missing'], 'a\n');
    expect(await r.exit).toBe(1);
    expect(r.stderr()).toContain('UNKNOWN_TOPIC_OR_PARTITION');
  });
});
