import { throughputTable } from '../../bench/throughput-table';

describe('the throughput table of consume and produce', () => {
  const result = (seconds: number, cpuSeconds: number, maxRssKb: number) => ({
    seconds,
    records: 300000,
    bytes: 32_000_000,
    cpuSeconds,
    maxRssKb,
  });

  it('gives each client its rate, usage and kafka-rx’s figures divided by its own', () => {
    const table = throughputTable(
      [
        { name: 'kafka-rx', self: true, result: result(4, 2, 204800), error: null, extra: ['0.50'] },
        { name: 'kcat -C', self: false, result: result(1, 0.5, 10240), error: null, extra: ['0.05'] },
        { name: 'KafkaJS', self: false, result: null, error: 'no lz4 codec' },
      ],
      ['first record after (s)'],
    );
    expect(table.split('\n').map((line) => line.split('|').map((cell) => cell.trim()))).toEqual([
      [
        '',
        'client',
        'time (s)',
        'records/s',
        'MB/s',
        'CPU (s)',
        'peak RSS (MB)',
        'first record after (s)',
        'kafka-rx records/s ÷ this',
        'kafka-rx CPU ÷ this',
        'kafka-rx RSS ÷ this',
        '',
      ],
      expect.any(Array),
      ['', 'kafka-rx', '4.00', '75,000', '8.0', '2.00', '200', '0.50', '—', '—', '—', ''],
      ['', 'kcat -C', '1.00', '300,000', '32.0', '0.50', '10', '0.05', '0.25x', '4.00x', '20.00x', ''],
      ['', 'KafkaJS', 'failed (no lz4 codec)', '', '', '', '', '', '', '', '', ''],
    ]);
  });

  it('says kafka-rx is not available when its own run failed, and every ratio n/a', () => {
    const table = throughputTable([
      { name: 'kafka-rx', self: true, result: null, error: 'timed out after 60 s' },
      { name: 'KafkaJS', self: false, result: result(2, 1, 102400), error: null },
    ]);
    const [, , ours, theirs] = table.split('\n');
    expect(ours).toMatch(/^\| kafka-rx \| not available \(timed out after 60 s\) +\|/);
    expect(
      theirs
        .split('|')
        .slice(-4, -1)
        .map((cell) => cell.trim()),
    ).toEqual(['n/a', 'n/a', 'n/a']);
  });
});
