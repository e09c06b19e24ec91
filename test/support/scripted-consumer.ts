import { resolveConsumerConfig, type ConsumerConfig } from '../../src/consumer/config';
import { consumerOnCluster } from '../../src/consumer/consumer';
import type { CommitResult, ConsumerEvent, ConsumerRecord, RebalanceEvent } from '../../src/consumer/types';
import { ScriptedConsumerCluster } from './scripted-consumer-cluster';
import { virtualClock } from './virtual-time';

/** Heartbeat, session and auto-commit timings the group tests count in. */
export const groupTimings: Partial<ConsumerConfig> = {
  sessionTimeoutMs: 10000,
  heartbeatIntervalMs: 3000,
  autoCommit: { intervalMs: 5000 },
};

/**
 * A consumer of group `g` on topic `orders` (read from the beginning) over a scripted broker in
 * virtual time, with what it reports collected: `commits`, `rebalances` and `events` as they
 * come, `records` for the test to fill (subscribing to `messages$` is the test's move: it joins).
 */
export function scriptedConsumer(config: Partial<ConsumerConfig> = {}, partitions = 2) {
  return scriptedConsumerOn(
    (clock) => new ScriptedConsumerCluster(clock, new Map([['orders', partitions]])),
    config,
  );
}

/** As scriptedConsumer, over the cluster `clusterOn` makes on the virtual clock (a subclass that scripts more). */
export function scriptedConsumerOn<C extends ScriptedConsumerCluster>(
  clusterOn: (clock: VirtualClock) => C,
  config: Partial<ConsumerConfig> = {},
) {
  const clock = virtualClock();
  const cluster = clusterOn(clock);
  const consumer = consumerOnCluster(
    resolveConsumerConfig({
      brokers: ['broker-1:9092'],
      groupId: 'g',
      topics: ['orders'],
      fromBeginning: true,
      clock,
      ...config,
    }),
    cluster,
  );
  const records: ConsumerRecord[] = [];
  const commits: CommitResult[] = [];
  const rebalances: RebalanceEvent[] = [];
  const events: ConsumerEvent[] = [];
  consumer.commits$.subscribe((c) => commits.push(c));
  consumer.rebalances$.subscribe((r) => rebalances.push(r));
  consumer.events$.subscribe((e) => events.push(e));
  return { clock, cluster, consumer, records, commits, rebalances, events };
}

type VirtualClock = ReturnType<typeof virtualClock>;
