import { TestScheduler } from 'rxjs/testing';
import type { RecordsLag } from '../../src/consumer';
import { createFakeCluster } from '../../src/testing';
import { fakeClusterConsumer } from '../support/fake-cluster-consumer';

const shown = (lags: readonly RecordsLag[]) =>
  lags.map((l) => `${l.topic}-${l.partition} ${l.position}/${l.highWatermark} lag ${l.lag}`);

// consumer.lag$ in virtual time against the fake cluster: the high watermark comes from Fetch responses.
describe('consumer.lag$', () => {
  function run(deliverPartition0: boolean) {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    const seen: Array<{ at: number; lags: string[] }> = [];
    let fetchRequests = 0;
    let listOffsetsRequests = 0;
    scheduler.run(() => {
      const cluster = createFakeCluster({ topics: { t: 2 }, clock: scheduler });
      cluster.append(
        't',
        0,
        ['a', 'b', 'c', 'd', 'e'].map((value) => ({ value })),
      );
      cluster.append('t', 1, [{ value: 'x' }, { value: 'y' }]);
      const consumer = fakeClusterConsumer(cluster, scheduler, { groupId: 'lagging', autoCommit: false });
      consumer.lag$.subscribe((lags) => seen.push({ at: scheduler.now(), lags: shown(lags) }));
      consumer.events$.subscribe((e) => {
        if (e.type === 'request' && e.api === 'Fetch') fetchRequests++;
        if (e.type === 'request' && e.api === 'ListOffsets') listOffsetsRequests++;
      });
      // Partition 0's records stay in its buffer unless its stream has a subscriber.
      const subscription = consumer.partitions$.subscribe((p) => {
        if (p.partition === 1 || deliverPartition0) p.records$.subscribe();
      });
      scheduler.schedule(() => cluster.append('t', 1, [{ value: 'z' }]), 3000);
      scheduler.schedule(() => subscription.unsubscribe(), 6000);
      scheduler.schedule(() => void consumer.close(), 6001);
    });
    return { seen, fetchRequests, listOffsetsRequests };
  }

  it('is the high watermark minus the next offset delivered, per assigned partition, after each Fetch response', () => {
    const { seen, listOffsetsRequests } = run(true);
    expect(seen.length).toBeGreaterThan(2);
    const before = seen.filter((s) => s.at < 3000).at(-1)!;
    expect(before.lags).toEqual(['t-0 5/5 lag 0', 't-1 2/2 lag 0']);
    const last = seen.at(-1)!;
    expect(last.lags).toEqual(['t-0 5/5 lag 0', 't-1 3/3 lag 0']);
    // Delivery to a synchronous subscriber happens before the snapshot: the record appended at
    // 3000 ms never shows as lag.
    expect(seen.filter((s) => s.lags.includes('t-1 2/3 lag 1'))).toEqual([]);
    // Without extra requests: nothing but the consumer's own fetches and its first offset lookup.
    expect(listOffsetsRequests).toBe(1);
  });

  it('counts fetched records the application has not taken', () => {
    const { seen } = run(false);
    const last = seen.at(-1)!;
    expect(last.lags).toEqual(['t-0 0/5 lag 5', 't-1 3/3 lag 0']);
  });
});
