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
 *
 * With deserializers, records come typed, and a record a deserializer refused comes with `error`:
 * const orders = createConsumer({ ...options, deserializers: { key: deserializers.string, value: deserializers.json<Order>() } });
 * orders.messages$.subscribe((r) => (r.error === undefined ? ship(r.value) : console.error(r.error)));
 */
export function createConsumer<K = Buffer, V = Buffer, H = Buffer>(
  config: ConsumerConfig<K, V, H>,
): Consumer<K, V, H> {
  const resolved = resolveConsumerConfig(config);
  const { cluster, transportEvents$ } = connectCluster('createConsumer', config, resolved);
  const consumer = consumerOnCluster(resolved, cluster, transportEvents$);
  // One implementation for every K, V, H: the records' types come from the deserializers configured.
  return consumer as unknown as Consumer<K, V, H>;
}
