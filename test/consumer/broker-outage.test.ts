import type { ConsumerEvent } from '../../src/consumer';
import { createFakeCluster } from '../../src/testing';
import { fakeClusterConsumer } from '../support/fake-cluster-consumer';
import { onlyBrokerOutage } from '../support/only-broker-outage';
import { virtualClock } from '../support/virtual-time';

/**
 * The only broker gone for longer than a metadata lookup retries (a restart of a one-node cluster):
 * once it is back, the consumer fetches again and delivers what was produced meanwhile and after.
 * (It used to stop fetching for good: the fetch round that failed for want of metadata asked for the
 * next one while it was itself still running, and that request was dropped.)
 */
describe('a broker outage longer than the metadata retries', () => {
  it.each([5000, 30000])('the only broker down for %i ms: fetching resumes once it is back', (downMs) => {
    const clock = virtualClock();
    const cluster = createFakeCluster({ brokers: 1, clock, topics: { t: 2 } });
    const consumer = fakeClusterConsumer(cluster, clock, { groupId: 'g' });
    const read: string[] = [];
    const errors: string[] = [];
    consumer.messages$.subscribe((r) => read.push(r.value!.toString()));
    consumer.events$.subscribe((e: ConsumerEvent) => {
      if (e.type === 'error') errors.push(e.error.name);
    });
    const end = onlyBrokerOutage(cluster, clock, downMs, read);
    expect(errors.length).toBeGreaterThan(0);
    expect(read).toEqual(['before', 'after']);
    cluster.append('t', 0, [{ value: 'later' }]);
    clock.advanceTo(end + 5000);
    expect(read).toEqual(['before', 'after', 'later']);
    void consumer.close();
    clock.advanceTo(end + 15000);
    void cluster.close();
  });
});
