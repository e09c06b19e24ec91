import { resolveConsumerConfig } from '../../src/consumer/config';
import { consumerOnCluster } from '../../src/consumer/consumer';
import { ScriptedConsumerCluster } from '../support/scripted-consumer-cluster';
import { virtualClock } from '../support/virtual-time';

function setup() {
  const clock = virtualClock();
  const cluster = new ScriptedConsumerCluster(clock, new Map([['orders', 2]]));
  const consumer = consumerOnCluster(
    resolveConsumerConfig({ brokers: ['broker-1:9092'], groupId: 'g', topics: ['orders'], clock }),
    cluster,
  );
  return { clock, cluster, consumer };
}

describe('consumer.commit is eager and awaitable', () => {
  it('commits without a subscriber, and the result can be awaited (and replayed) afterwards', async () => {
    const t = setup();
    t.consumer.messages$.subscribe();
    t.clock.advanceTo(100);
    const result = t.consumer.commit([{ topic: 'orders', partition: 1, offset: 7n }]);
    t.clock.advanceTo(200);
    expect(t.cluster.requests('OffsetCommit').map((r) => r.body.topics)).toEqual([
      [
        expect.objectContaining({
          name: 'orders',
          partitions: [expect.objectContaining({ partitionIndex: 1, committedOffset: 7n })],
        }),
      ],
    ]);
    const expected = { trigger: 'manual', offsets: [{ topic: 'orders', partition: 1, offset: 7n }] };
    await expect(result).resolves.toEqual(expected);
    const replayed: unknown[] = [];
    result.subscribe((r) => replayed.push(r));
    expect(replayed).toEqual([expected]);
  });

  it('rejects an invalid offset when awaited', async () => {
    const t = setup();
    await expect(t.consumer.commit([{ topic: 'orders', partition: 0, offset: -1n }])).rejects.toMatchObject({
      name: 'InvalidArgumentError',
    });
  });
});
