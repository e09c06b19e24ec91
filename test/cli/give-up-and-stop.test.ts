import { Heartbeat, LeaveGroup, OffsetCommit, Produce } from '../../src/protocol/specs';
import { createFakeCluster, type FakeCluster } from '../../src/testing';
import { refusedPort, runCli, startCli, type CliProcess } from './cli-process';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends SIGINT and resolves with the run and how long it took to end after the signal. */
async function interrupt(cli: CliProcess) {
  const at = performance.now();
  cli.child.kill('SIGINT');
  const run = await cli.done;
  return { ...run, endedAfterMs: performance.now() - at };
}

// kafka-rx as a new user meets it: failures said within seconds in one form, and Ctrl-C that
// always ends the command within a second or two.
describe('kafka-rx: failing fast and clearly', () => {
  it('produce to a refused port: exit 1 within seconds with a BootstrapError', async () => {
    const port = await refusedPort();
    const started = performance.now();
    const run = await runCli(['produce', '--brokers', `127.0.0.1:${port}`, '--topic', 't'], {
      stdin: 'a\n',
      killAfterMs: 30000,
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      new RegExp(`^kafka-rx: BootstrapError: no bootstrap broker answered.*127\\.0\\.0\\.1:${port}.*refused`),
    );
    expect(performance.now() - started).toBeLessThan(12000);
  }, 40000);

  describe('against the fake cluster', () => {
    let cluster: FakeCluster;
    let brokers: string;
    beforeEach(async () => {
      cluster = createFakeCluster({ topics: { lines: 1 } });
      brokers = (await cluster.listen()).brokers.join(',');
    });
    afterEach(() => cluster.close());

    /** `kafka-rx produce` whose first line landed and whose second the cluster no longer answers. */
    async function produceIntoStalledCluster(): Promise<CliProcess> {
      const cli = startCli(['produce', '--brokers', brokers, '--topic', 'lines']);
      cli.child.stdin!.write('one\n');
      while (cluster.offsets('lines', 0).highWatermark < 1n && cli.child.exitCode === null) await sleep(20);
      cluster.faults.delay(Produce, 60000);
      cli.child.stdin!.write('two\n');
      await sleep(200);
      return cli;
    }

    it('produce to an unknown topic: exit 1 at once with an UnknownTopicError', async () => {
      const started = performance.now();
      const run = await runCli(['produce', '--brokers', brokers, '--topic', 'nope'], { stdin: 'a\n' });
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(`kafka-rx: UnknownTopicError: topic "nope" does not exist on ${brokers}\n`);
      expect(performance.now() - started).toBeLessThan(5000);
    });

    it('a usage error has the same prefix and exits 2, for produce as for consume', async () => {
      const run = await runCli(['produce', '--brokers', brokers]);
      expect(run.code).toBe(2);
      expect(run.stderr.split('\n')[0]).toBe('kafka-rx: UsageError: --topic is required');
    });

    it('Ctrl-C on produce while the cluster no longer answers: exit 1 within two seconds', async () => {
      const cli = await produceIntoStalledCluster();
      const run = await interrupt(cli);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^kafka-rx: StopTimeoutError: stopped 1500 ms after the signal/);
      expect(run.endedAfterMs).toBeLessThan(2500);
    });

    it('a second Ctrl-C exits at once (130)', async () => {
      const cli = await produceIntoStalledCluster();
      cli.child.kill('SIGINT');
      await sleep(100);
      const run = await interrupt(cli);
      expect(run.code).toBe(130);
      expect(run.endedAfterMs).toBeLessThan(500);
    });

    it('Ctrl-C on consume --group while the cluster no longer answers: ends within two seconds', async () => {
      cluster.append('lines', 0, [{ value: 'x0' }]);
      const cli = startCli([
        'consume',
        '--brokers',
        brokers,
        '--topic',
        'lines',
        '--group',
        'g',
        '--from-beginning',
      ]);
      await cli.lines(1);
      for (const api of [OffsetCommit, LeaveGroup, Heartbeat]) cluster.faults.delay(api, 60000);
      const run = await interrupt(cli);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^kafka-rx: CloseTimeoutError: commit and LeaveGroup did not finish/);
      expect(run.endedAfterMs).toBeLessThan(2500);
    });
  });

  it('Ctrl-C while the brokers never answer (consume and produce): ends at once', async () => {
    const port = await refusedPort();
    for (const command of ['consume', 'produce']) {
      const cli = startCli([command, '--brokers', `127.0.0.1:${port}`, '--topic', 't']);
      // Past start-up (compiling src/ as it loads), into the bootstrap retries.
      await sleep(2500);
      const run = await interrupt(cli);
      expect([command, run.code, run.stderr]).toEqual([command, 0, '']);
      expect(run.endedAfterMs).toBeLessThan(1500);
    }
  }, 20000);
});
