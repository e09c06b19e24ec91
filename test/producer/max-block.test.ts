import { PassThrough, Readable } from 'node:stream';
import { lastValueFrom } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { runProduce } from '../../src/cli/produce';
import { createProducer } from '../../src/producer';
import { createFakeCluster, type FakeCluster, type FakeClusterOptions } from '../../src/testing';
import { createMemoryTransport } from '../../src/transport';
import { refusedPort } from '../support/refused-port';

describe('maxBlockMs bounds the wait for metadata', () => {
  it.each<[string, FakeClusterOptions, (cluster: FakeCluster) => string[], number, string, object]>([
    [
      'fails a send to a cluster that cannot be reached at maxBlockMs, naming the address (virtual time)',
      {},
      () => ['fake-7:9092'], // no such broker: every connection is refused
      3000,
      't',
      {
        name: 'BootstrapError',
        message: expect.stringMatching(/fake-7:9092.*refused.*maxBlockMs \(3000 ms\)/),
      },
    ],
    [
      'fails a send to a topic that does not exist at maxBlockMs with UNKNOWN_TOPIC_OR_PARTITION (virtual time)',
      { autoCreateTopics: false },
      (cluster) => cluster.bootstrap,
      2000,
      'nope',
      {
        name: 'UNKNOWN_TOPIC_OR_PARTITION',
        code: 3,
        message: expect.stringContaining('topic "nope"'),
      },
    ],
  ])('%s', (_name, options, brokers, maxBlockMs, topic, error) => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ expectObservable }) => {
      const cluster = createFakeCluster({ topics: { t: 1 }, clock: scheduler, ...options });
      const producer = createProducer({
        brokers: brokers(cluster),
        clock: scheduler,
        transport: createMemoryTransport({ handler: cluster.handler, clock: scheduler }),
        maxBlockMs,
      });
      expectObservable(producer.send({ topic, value: 'a' })).toBe(
        `${maxBlockMs}ms #`,
        undefined,
        expect.objectContaining(error),
      );
    });
  });

  it('fails a send to a refused port over TCP at maxBlockMs, with BootstrapError and ECONNREFUSED', async () => {
    const port = await refusedPort();
    const producer = createProducer({ brokers: [`127.0.0.1:${port}`], maxBlockMs: 1500 });
    const started = performance.now();
    try {
      await expect(lastValueFrom(producer.send({ topic: 't', value: 'a' }))).rejects.toMatchObject({
        name: 'BootstrapError',
        message: expect.stringMatching(new RegExp(`127\\.0\\.0\\.1:${port}.*ECONNREFUSED`)),
      });
      const elapsed = performance.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(1400);
      expect(elapsed).toBeLessThan(2500);
    } finally {
      await producer.close();
    }
  });

  it('kafka-rx produce against a refused port exits 1 within a few seconds, naming the cause', async () => {
    const port = await refusedPort();
    let err = '';
    const stderr = new PassThrough();
    stderr.on('data', (d: Buffer) => (err += d.toString()));
    const started = performance.now();
    const code = await runProduce(['--brokers', `127.0.0.1:${port}`, '--topic', 't'], {
      stdin: Readable.from(['a\nb\n']),
      stdout: new PassThrough(),
      stderr,
    });
    expect(code).toBe(1);
    expect(err).toContain('ECONNREFUSED');
    expect(performance.now() - started).toBeLessThan(8000);
  });
});
