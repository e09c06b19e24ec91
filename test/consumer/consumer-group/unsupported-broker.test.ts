import { TestScheduler } from 'rxjs/testing';
import { createConsumer } from '../../../src/consumer';
import { createFakeCluster } from '../../../src/testing';
import { createMemoryTransport } from '../../../src/transport';

describe("groupProtocol: 'consumer' against a broker without KIP-848", () => {
  it('fails messages$ with an UnsupportedVersionError that names ConsumerGroupHeartbeat', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    let failure: unknown = null;
    let completed = false;
    scheduler.run(() => {
      // A broker before Kafka 4.0 speaks only the classic group protocol.
      const cluster = createFakeCluster({
        topics: { orders: 1 },
        clock: scheduler,
        groupProtocols: ['classic'],
      });
      const consumer = createConsumer({
        brokers: cluster.bootstrap,
        groupId: 'g',
        topics: ['orders'],
        groupProtocol: 'consumer',
        clock: scheduler,
        transport: createMemoryTransport({ handler: cluster.handler, clock: scheduler }),
      });
      consumer.messages$.subscribe({
        error: (e: unknown) => (failure = e),
        complete: () => (completed = true),
      });
      scheduler.schedule(() => void consumer.close(), 60000);
    });
    expect(completed).toBe(false);
    expect(failure).toMatchObject({ name: 'UnsupportedVersionError' });
    expect((failure as Error).message).toContain('ConsumerGroupHeartbeat');
  });
});
