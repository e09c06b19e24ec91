import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createFakeCluster } from '../../src/testing';
import { runCli, startCli } from './cli-process';

describe('kafka-rx (main)', () => {
  it('--version prints the version of package.json', async () => {
    const { version } = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
      version: string;
    };
    const run = await runCli(['--version']);
    expect(run).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('--help lists every command on stdout (exit 0)', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    for (const command of ['consume', 'produce', 'demo'])
      expect(run.stdout).toContain(`kafka-rx ${command} `);
  });

  it('help <command> prints that command’s usage', async () => {
    const run = await runCli(['help', 'consume']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^kafka-rx consume --brokers H:P\[,H:P\] --topic T/);
    expect(run.stdout).toContain('--from-beginning');
  });

  it('no command, or an unknown one, is a usage error (exit 2)', async () => {
    const none = await runCli([]);
    expect(none.code).toBe(2);
    expect(none.stdout).toBe('');
    expect(none.stderr).toContain('kafka-rx consume ');
    const unknown = await runCli(['consme']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.split('\n')[0]).toBe(
      'kafka-rx: UsageError: unknown command "consme" (did you mean consume?)',
    );
  });

  it('produce sends one record per line of standard input', async () => {
    const cluster = createFakeCluster({ topics: { lines: 1 } });
    try {
      const { brokers } = await cluster.listen();
      const run = await runCli(
        ['produce', '--brokers', brokers[0], '--topic', 'lines', '--key-separator', '='],
        {
          stdin: 'k1=first\nsecond\n',
        },
      );
      expect(run.code).toBe(0);
      expect(
        cluster.records('lines', 0).map((r) => [r.key?.toString() ?? null, r.value?.toString()]),
      ).toEqual([
        ['k1', 'first'],
        [null, 'second'],
      ]);
    } finally {
      await cluster.close();
    }
  });
});

describe('kafka-rx produce (main)', () => {
  it('on SIGINT stops reading, sends what it read and exits 0', async () => {
    const cluster = createFakeCluster({ topics: { typed: 1 } });
    try {
      const { brokers } = await cluster.listen();
      const cli = startCli(['produce', '--brokers', brokers[0], '--topic', 'typed'], { killAfterMs: 20000 });
      cli.child.stdin!.write('one\ntwo\n');
      // Standard input stays open, as at a terminal; wait until both lines are in the log.
      while (cluster.offsets('typed', 0).highWatermark < 2n && cli.child.exitCode === null) {
        await new Promise((r) => setTimeout(r, 20));
      }
      cli.child.kill('SIGINT');
      const run = await cli.done;
      expect(run.code).toBe(0);
      expect(cluster.records('typed', 0).map((r) => r.value?.toString())).toEqual(['one', 'two']);
    } finally {
      await cluster.close();
    }
  });
});
