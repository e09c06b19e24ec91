import { firstValueFrom, filter } from 'rxjs';
import { createConsumer, type ConsumerEvent } from '../../src';
import { startMockCluster, type MockCluster } from '../broker/mock-cluster';

// close() against librdkafka's mock cluster when it stops answering (every response delayed far
// beyond closeTimeoutMs) or goes down: bounded either way.
describe('consumer close() against the librdkafka mock cluster', () => {
  let cluster: MockCluster;
  beforeEach(async () => {
    cluster = await startMockCluster({
      build: 'new',
      brokers: 1,
      topics: [{ name: 'orders', partitions: 2 }],
    });
    await cluster.setGroupInitialRebalanceDelay(0);
  });
  afterEach(() => cluster?.stop());

  async function stableConsumer() {
    const consumer = createConsumer({
      brokers: cluster.bootstrap.split(','),
      groupId: 'close-mock',
      topics: ['orders'],
      closeTimeoutMs: 1000,
    });
    const events: ConsumerEvent[] = [];
    consumer.events$.subscribe((e) => events.push(e));
    const assigned = firstValueFrom(consumer.rebalances$.pipe(filter((r) => r.type === 'assigned')));
    consumer.messages$.subscribe({ error: () => undefined });
    await assigned;
    return { consumer, events };
  }

  it('a broker that answers nothing any more: close resolves after closeTimeoutMs with close-timeout', async () => {
    const { consumer, events } = await stableConsumer();
    await cluster.setRtt(1, 30000);
    const start = performance.now();
    await consumer.close();
    const took = performance.now() - start;
    expect(took).toBeGreaterThanOrEqual(950);
    expect(took).toBeLessThan(2000);
    expect(events.filter((e) => e.type === 'close-timeout')).toHaveLength(1);
  }, 30000);

  it('a broker that went down: close resolves within closeTimeoutMs', async () => {
    const { consumer } = await stableConsumer();
    await cluster.brokerDown(1);
    const start = performance.now();
    await consumer.close();
    expect(performance.now() - start).toBeLessThan(2000);
  }, 30000);
});
