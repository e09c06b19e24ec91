import { benchOptions, positiveNumber, throughput, throughputConfig } from '../../bench/options';

describe('the benchmarks’ common options', () => {
  it('takes the defaults of the benchmark where none is given', () => {
    const { common } = benchOptions('produce', { partitions: 8, runs: 3 }, {}, []);
    expect(common).toEqual({
      broker: 'kafka',
      valueBytes: 100,
      partitions: 8,
      brokers: 3,
      runs: 3,
      clients: expect.any(Array),
      markdown: undefined,
      nodeOptions: [],
    });
    expect(common.clients.map((c) => c.runner)).toEqual([
      'kafka-rx',
      'kafka-rx-operator',
      'kafkajs',
      'kcat',
      'java',
    ]);
  });

  it('parses the common options and hands back the benchmark’s own', () => {
    const { common, values } = benchOptions(
      'latency',
      { partitions: 8, runs: 1 },
      { rate: { type: 'string', default: '250' } },
      [
        '--broker',
        'mock',
        '--partitions',
        '4',
        '--clients',
        'kafkajs',
        '--node-options=--cpu-prof  --cpu-prof-dir=/tmp/p',
        '--markdown',
        'out.md',
        '--rate',
        '12.5',
      ],
    );
    expect(common).toMatchObject({ broker: 'mock', partitions: 4, markdown: 'out.md' });
    expect(common.clients.map((c) => c.name)).toEqual(['KafkaJS']);
    expect(common.nodeOptions).toEqual(['--cpu-prof', '--cpu-prof-dir=/tmp/p']);
    expect(positiveNumber('rate', values.rate)).toBe(12.5);
  });

  it('refuses what is not a positive integer, an unknown broker or an unknown option', () => {
    const parse = (...args: string[]) => benchOptions('consume', { partitions: 32, runs: 3 }, {}, args);
    expect(() => parse('--runs', '0')).toThrow('--runs must be a positive integer, got 0');
    expect(() => parse('--partitions', '2.5')).toThrow('--partitions must be a positive integer, got 2.5');
    expect(() => parse('--broker', 'redpanda')).toThrow('--broker must be one of kafka, mock, got redpanda');
    expect(() => parse('--rate', '5')).toThrow(/Unknown option '--rate'/);
  });

  it('gives the throughput benchmarks records, codec and a time limit', () => {
    const own = throughputConfig(200000);
    const parse = (...args: string[]) =>
      throughput(benchOptions('produce', { partitions: 8, runs: 3 }, own, args).values, (n) => n / 1000);
    expect(parse()).toEqual({ records: 200000, compression: 'none', timeoutMs: 200000 });
    expect(parse('--records', '5000', '--compression', 'zstd')).toEqual({
      records: 5000,
      compression: 'zstd',
      timeoutMs: 5000,
    });
    expect(parse('--timeout-s', '7').timeoutMs).toBe(7000);
    expect(() => parse('--compression', 'brotli')).toThrow(
      '--compression must be one of none, gzip, snappy, lz4, zstd',
    );
  });
});
