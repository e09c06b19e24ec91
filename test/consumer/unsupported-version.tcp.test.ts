import { filter, firstValueFrom, materialize, timeout } from 'rxjs';
import { createConsumer, createTcpTransport, UnsupportedVersionError } from '../../src';
import { createFakeCluster } from '../../src/testing';

// A broker that lacks an API the configuration needs (here SaslHandshake, which the fake cluster
// does not speak) will not gain it by retrying: messages$ fails at once with the error naming the
// API, instead of retrying until bootstrapTimeoutMs and then blaming the addresses.
describe('consumer whose configuration needs an API the broker lacks (TCP)', () => {
  it('messages$ errors with UnsupportedVersionError, long before bootstrapTimeoutMs', async () => {
    const cluster = createFakeCluster({ topics: { orders: 1 } });
    const { brokers } = await cluster.listen();
    const consumer = createConsumer({
      brokers,
      groupId: 'g',
      topics: ['orders'],
      transport: createTcpTransport({ sasl: { mechanism: 'plain', username: 'u', password: 'p' } }),
      bootstrapTimeoutMs: 20000,
    });
    const start = performance.now();
    try {
      const outcome = await firstValueFrom(
        consumer.messages$.pipe(
          materialize(),
          filter((n) => n.kind !== 'N'),
          timeout({ first: 10000 }),
        ),
      );
      expect(outcome.kind).toBe('E');
      const error = outcome.kind === 'E' ? outcome.error : undefined;
      expect(error).toBeInstanceOf(UnsupportedVersionError);
      expect((error as Error).message).toContain('SaslHandshake');
      expect(performance.now() - start).toBeLessThan(5000);
    } finally {
      await consumer.close();
      await cluster.close();
    }
  }, 15000);
});
