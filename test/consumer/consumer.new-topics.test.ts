import { resolveConsumerConfig } from '../../src/consumer/config';
import { consumerOnCluster } from '../../src/consumer/consumer';
import type { ConsumerEvent, RebalanceEvent } from '../../src/consumer/types';
import { ScriptedConsumerCluster } from '../support/scripted-consumer-cluster';
import { virtualClock } from '../support/virtual-time';

/** A consumer of `orders` and `payments` on a scripted cluster whose partition counts the test changes. */
function setup(counts: Map<string, number>, staleCache?: Map<string, number>) {
  const clock = virtualClock();
  const cluster = new ScriptedConsumerCluster(clock, counts);
  // A metadata cache that still knows topics the cluster lost (as after a broker came back empty).
  if (staleCache) {
    const live = new ScriptedConsumerCluster(clock, counts);
    cluster.refreshMetadata = () => live.metadata();
    cluster.metadata = () => new ScriptedConsumerCluster(clock, staleCache).metadata();
  }
  const consumer = consumerOnCluster(
    resolveConsumerConfig({
      brokers: ['b:9092'],
      groupId: 'g',
      topics: ['orders', 'payments'],
      metadataMaxAgeMs: 10000,
      clock,
    }),
    cluster,
  );
  const rebalances: RebalanceEvent[] = [];
  const events: ConsumerEvent[] = [];
  consumer.rebalances$.subscribe((r) => rebalances.push(r));
  consumer.events$.subscribe((e) => events.push(e));
  consumer.messages$.subscribe();
  return { clock, rebalances, events };
}

describe('subscription by a list of topics', () => {
  it('reports a subscribed topic that does not exist, and assigns it within a second of its creation', () => {
    const counts = new Map([['orders', 1]]);
    const t = setup(counts);
    t.clock.advanceTo(100);
    expect(t.rebalances).toEqual([{ type: 'assigned', partitions: [{ topic: 'orders', partition: 0 }] }]);
    const errors = t.events.flatMap((e) => (e.type === 'error' ? [e.error] : []));
    expect(errors.map((e) => [e.name, e.message])).toEqual([
      [
        'UNKNOWN_TOPIC_OR_PARTITION',
        expect.stringMatching(/^topic "payments": .*its partitions are assigned once it exists/),
      ],
    ]);

    counts.set('payments', 2);
    t.clock.advanceTo(1200);
    expect(t.rebalances.map((r) => r.type)).toEqual(['assigned', 'revoked', 'assigned']);
    expect(t.rebalances[2].partitions).toEqual([
      { topic: 'orders', partition: 0 },
      { topic: 'payments', partition: 0 },
      { topic: 'payments', partition: 1 },
    ]);
  });

  it('rebalances when a topic gains partitions, at the next metadataMaxAgeMs', () => {
    const counts = new Map([
      ['orders', 1],
      ['payments', 1],
    ]);
    const t = setup(counts);
    t.clock.advanceTo(100);
    counts.set('orders', 2);
    t.clock.advanceTo(9000);
    expect(t.rebalances.map((r) => r.type)).toEqual(['assigned']);
    t.clock.advanceTo(10200);
    expect(t.rebalances.map((r) => r.type)).toEqual(['assigned', 'revoked', 'assigned']);
    expect(t.rebalances[2].partitions).toEqual([
      { topic: 'orders', partition: 0 },
      { topic: 'orders', partition: 1 },
      { topic: 'payments', partition: 0 },
    ]);
    expect(t.events.filter((e) => e.type === 'error')).toEqual([]);
  });

  it('assigns a topic created later even when the metadata cache still holds an old one of that name', () => {
    const counts = new Map([['orders', 1]]);
    const t = setup(
      counts,
      new Map([
        ['orders', 1],
        ['payments', 2],
      ]),
    );
    t.clock.advanceTo(100);
    expect(t.rebalances.map((r) => r.type)).toEqual(['assigned']);
    counts.set('payments', 2);
    t.clock.advanceTo(1200);
    expect(t.rebalances.map((r) => r.type)).toEqual(['assigned', 'revoked', 'assigned']);
    expect(t.rebalances[2].partitions).toHaveLength(3);
  });
});
