import { connectCluster } from './connect-cluster';
import { resolveConsumerConfig, type ConsumerConfig } from './config';
import { consumerOnCluster } from './consumer';
import type { Consumer } from './types';

/**
 * Creates a consumer group member whose records arrive as RxJS streams. Nothing is sent until
 * `messages$` or `partitions$` is subscribed to. Throws a `ConfigError` for a bad configuration.
 *
 * @example
 * const consumer = createConsumer({ brokers: ['127.0.0.1:9092'], groupId: 'orders', topics: ['orders'], fromBeginning: true });
 * consumer.messages$.subscribe((r) => console.log(r.partition, r.offset, r.value?.toString()));
 */
export function createConsumer(config: ConsumerConfig): Consumer {
  const resolved = resolveConsumerConfig(config);
  const { cluster, transportEvents$ } = connectCluster('createConsumer', config, resolved);
  return consumerOnCluster(resolved, cluster, transportEvents$);
}
