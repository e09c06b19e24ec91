import { createServer, type Server, type Socket } from 'node:net';
import { TestScheduler } from 'rxjs/testing';
import { createProducer, ProducerClosedError } from '../../src/producer';
import { createFakeCluster } from '../../src/testing';
import { createMemoryTransport } from '../../src/transport';
import { refusedPort } from '../support/refused-port';

/** A "broker" that answers every request with the start of a frame and never the rest. */
async function truncatingBroker(): Promise<{ server: Server; port: number; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('data', () => socket.write(Buffer.from([0, 0, 0, 100, 0, 0])));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port, sockets };
}

const closedAfterTimeout = (ms: number) =>
  expect.objectContaining({
    name: 'ProducerClosedError',
    message: expect.stringContaining(`close gave up after closeTimeoutMs (${ms} ms)`),
  });

describe('close() is bounded by closeTimeoutMs', () => {
  it('fails a send still waiting for metadata at closeTimeoutMs, then resolves (virtual time)', async () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    let closing: Promise<void> | undefined;
    scheduler.run(({ expectObservable }) => {
      const cluster = createFakeCluster({ topics: { t: 1 }, clock: scheduler });
      const producer = createProducer({
        brokers: ['fake-7:9092'], // refused
        clock: scheduler,
        transport: createMemoryTransport({ handler: cluster.handler, clock: scheduler }),
        maxBlockMs: 60000,
        closeTimeoutMs: 2000,
      });
      const sent = producer.send({ topic: 't', value: 'a' });
      scheduler.schedule(() => (closing = producer.close()), 100);
      expectObservable(sent).toBe('2100ms #', undefined, closedAfterTimeout(2000));
    });
    await expect(closing).resolves.toBeUndefined();
  });

  it('defaults to 10000 ms', async () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ expectObservable }) => {
      const cluster = createFakeCluster({ topics: { t: 1 }, clock: scheduler });
      const producer = createProducer({
        brokers: ['fake-7:9092'],
        clock: scheduler,
        transport: createMemoryTransport({ handler: cluster.handler, clock: scheduler }),
      });
      const sent = producer.send({ topic: 't', value: 'a' });
      void producer.close();
      expectObservable(sent).toBe('10000ms #', undefined, closedAfterTimeout(10000));
    });
  });

  it('resolves at closeTimeoutMs against a dead port over TCP; the pending send rejects', async () => {
    const port = await refusedPort();
    const producer = createProducer({ brokers: [`127.0.0.1:${port}`], closeTimeoutMs: 1000 });
    const sent = producer.send({ topic: 't', value: 'a' });
    const started = performance.now();
    await producer.close();
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(3000);
    await expect(sent).rejects.toBeInstanceOf(ProducerClosedError);
  });

  it('resolves at closeTimeoutMs against a broker that answers with a truncated frame', async () => {
    const broker = await truncatingBroker();
    try {
      const producer = createProducer({ brokers: [`127.0.0.1:${broker.port}`], closeTimeoutMs: 1000 });
      const sent = producer.send({ topic: 't', value: 'a' });
      const started = performance.now();
      await producer.close();
      expect(performance.now() - started).toBeLessThan(3000);
      await expect(sent).rejects.toEqual(closedAfterTimeout(1000));
    } finally {
      for (const socket of broker.sockets) socket.destroy();
      await new Promise<void>((resolve) => broker.server.close(() => resolve()));
    }
  });
});
