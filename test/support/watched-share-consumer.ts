import type { TestScheduler } from 'rxjs/testing';
import {
  createShareConsumer,
  type AcknowledgementResult,
  type ShareConsumer,
  type ShareConsumerConfig,
  type ShareConsumerEvent,
} from '../../src/consumer';
import type { FakeCluster } from '../../src/testing';
import { createMemoryTransport } from '../../src/transport/memory-transport';

/** A share consumer and what it has emitted so far on acknowledgements$ and events$. */
export interface WatchedShareConsumer {
  readonly consumer: ShareConsumer;
  readonly acks: AcknowledgementResult[];
  readonly events: ShareConsumerEvent[];
}

/**
 * A share consumer of group 'g' on topic 't' of a fake cluster, over the memory transport in
 * `scheduler`'s virtual time; `config` adds to or overrides that. Its acknowledgements and events
 * are collected from the start, before records$ is subscribed.
 */
export function watchedShareConsumer(
  cluster: FakeCluster,
  scheduler: TestScheduler,
  config: Partial<ShareConsumerConfig> = {},
): WatchedShareConsumer {
  const consumer = createShareConsumer({
    brokers: cluster.bootstrap,
    groupId: 'g',
    topics: ['t'],
    clock: scheduler,
    transport: createMemoryTransport({ handler: cluster.handler, clock: scheduler }),
    ...config,
  });
  const watched: WatchedShareConsumer = { consumer, acks: [], events: [] };
  consumer.acknowledgements$.subscribe((a) => watched.acks.push(a));
  consumer.events$.subscribe((e) => watched.events.push(e));
  return watched;
}
