import { filter, firstValueFrom } from 'rxjs';
import { createConsumer } from '../../src/consumer';
import { createFakeCluster, type FakeCluster } from '../../src/testing';

// consumer.lag$ over TCP: the fake cluster on a loopback port, wall-clock time.
describe('consumer.lag$ over TCP', () => {
  let cluster: FakeCluster;
  afterEach(() => cluster.close());

  it('reaches zero on every partition once the records are delivered', async () => {
    cluster = createFakeCluster({ topics: { t: 2 } });
    cluster.append('t', 0, [{ value: 'a' }, { value: 'b' }, { value: 'c' }]);
    cluster.append('t', 1, [{ value: 'x' }]);
    const { brokers } = await cluster.listen();
    const consumer = createConsumer({
      brokers,
      groupId: 'lag-tcp',
      topics: ['t'],
      fromBeginning: true,
      autoCommit: false,
    });
    const caughtUp = firstValueFrom(
      consumer.lag$.pipe(filter((lags) => lags.length === 2 && lags.every((l) => l.lag === 0n))),
    );
    const subscription = consumer.messages$.subscribe();
    const lags = await caughtUp;
    subscription.unsubscribe();
    await consumer.close();
    expect(lags.map((l) => [l.partition, l.position, l.highWatermark])).toEqual([
      [0, 3n, 3n],
      [1, 1n, 1n],
    ]);
  });
});
