import { runCli } from './cli-process';

describe('kafka-rx demo', () => {
  it('produces, consumes through a leave and a rejoin, and reports nothing lost', async () => {
    const run = await runCli(['demo', '--records', '600', '--seconds', '2', '--partitions', '4'], {
      killAfterMs: 40000,
    });

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = run.stdout;
    // Not a terminal: plain lines, no carriage returns or escape codes.
    expect(out.includes('\r') || out.includes('\x1b')).toBe(false);
    expect(out).toMatch(
      /^fake cluster on 127\.0\.0\.1:\d+: topic demo-orders \(4 partitions\), group demo-group$/m,
    );
    expect(out).toMatch(/consumer-2 leaves the group$/m);
    expect(out).toMatch(/consumer-2 joins again$/m);
    const summary = out.slice(out.indexOf('summary:'));
    expect(summary).toMatch(/^ {2}produced {4}600 records acknowledged$/m);
    expect(summary).toMatch(/^ {2}consumed {4}\d+ records: 600 distinct, \d+ duplicates?$/m);
    expect(summary).toMatch(/^ {2}lost {8}0$/m);
    expect(summary).toMatch(/; 4\/4 partitions committed at their log end$/m);
    // The first generation, consumer-2 leaving, consumer-2 back (and leaving at the end).
    expect(Number(/^ {2}rebalances {2}(\d+)$/m.exec(summary)?.[1])).toBeGreaterThanOrEqual(3);
  });

  it('rejects a bad flag with its usage (exit 2)', async () => {
    const run = await runCli(['demo', '--records', '0']);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n').slice(0, 2)).toEqual([
      'kafka-rx: UsageError: --records must be between 1 and 10000000',
      'kafka-rx demo [--records N] [--seconds S] [--partitions P]',
    ]);
  });
});
