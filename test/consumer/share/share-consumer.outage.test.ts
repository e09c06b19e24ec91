import { config } from 'rxjs';
import { createFakeCluster } from '../../../src/testing';
import { onlyBrokerOutage } from '../../support/only-broker-outage';
import { virtualClock } from '../../support/virtual-time';
import { watchedShareConsumer } from '../../support/watched-share-consumer';

/**
 * The only broker gone for longer than a metadata lookup retries, under a share consumer: once it
 * is back, records are handed out again (as test/consumer/broker-outage.test.ts for a group). The
 * failed lookup used to error the consumer's tick stream, which nothing handled: heartbeats and
 * fetches stopped, and RxJS rethrew the error outside (an uncaught exception in an application).
 */
describe('a share consumer through an outage of its only broker', () => {
  const unhandled: unknown[] = [];
  beforeEach(() => {
    unhandled.length = 0;
    config.onUnhandledError = (error) => unhandled.push(error);
  });
  afterEach(() => {
    config.onUnhandledError = null;
  });

  it.each([5000, 30000])('down for %i ms: records are handed out again once it is back', async (downMs) => {
    const clock = virtualClock();
    const cluster = createFakeCluster({
      brokers: 1,
      clock,
      topics: { t: 2 },
      shareAutoOffsetReset: 'earliest',
    });
    const { consumer, events } = watchedShareConsumer(cluster, clock, { maxWaitMs: 200 });
    const read: string[] = [];
    let failed: unknown;
    consumer.records$.subscribe({ next: (r) => read.push(r.value!.toString()), error: (e) => (failed = e) });
    const end = onlyBrokerOutage(cluster, clock, downMs, read);
    expect(read).toEqual(['before', 'after']);
    // The outage is reported on events$, never thrown.
    expect(events.some((e) => e.type === 'error' && e.error.message.includes('no broker answered'))).toBe(
      true,
    );
    expect(failed).toBeUndefined();
    const closed = consumer.close();
    clock.advanceTo(end + 10000);
    await closed;
    await cluster.close();
    // RxJS reports an error nothing handled on a timer of its own.
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(unhandled).toEqual([]);
  });

  it('closing while the broker is down resolves (the last acknowledgements cannot be sent: Kafka releases the records itself)', async () => {
    const clock = virtualClock();
    const cluster = createFakeCluster({
      brokers: 1,
      clock,
      topics: { t: 1 },
      shareAutoOffsetReset: 'earliest',
    });
    const { consumer, events } = watchedShareConsumer(cluster, clock, { maxWaitMs: 200 });
    consumer.records$.subscribe();
    cluster.append('t', 0, [{ value: 'a' }]);
    clock.advanceTo(5000);
    void cluster.brokerDown(0);
    clock.advanceTo(20000);
    let closed = false;
    const closing = consumer.close().then(() => (closed = true));
    clock.advanceTo(60000);
    await closing;
    expect(closed).toBe(true);
    expect(events.some((e) => e.type === 'close-timeout')).toBe(false);
    await cluster.close();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(unhandled).toEqual([]);
  });
});
