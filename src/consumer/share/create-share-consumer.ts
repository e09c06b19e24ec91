import { connectCluster } from '../connect-cluster';
import { resolveShareConsumerConfig, type ShareConsumerConfig } from './config';
import { shareConsumerOnCluster } from './share-consumer';
import type { ShareConsumer } from './types';

/**
 * Creates a member of a share group (KIP-932, Kafka 4.1+): records are shared among the group's
 * members record by record, not partition by partition, and each is accepted, released
 * (delivered again, `deliveryCount` + 1) or rejected. Nothing is sent until `records$` is
 * subscribed to. Throws a `ConfigError` for a bad configuration.
 *
 * @example
 * const consumer = createShareConsumer({ brokers: ['127.0.0.1:9092'], groupId: 'jobs', topics: ['jobs'], acknowledgementMode: 'explicit' });
 * consumer.records$.subscribe((r) => (handle(r) ? r.accept() : r.release()));
 */
export function createShareConsumer<K = Buffer, V = Buffer, H = Buffer>(
  config: ShareConsumerConfig<K, V, H>,
): ShareConsumer<K, V, H> {
  const resolved = resolveShareConsumerConfig(config);
  const { cluster, transportEvents$ } = connectCluster('createShareConsumer', config, resolved);
  const consumer = shareConsumerOnCluster(resolved, cluster, transportEvents$);
  // One implementation for every K, V, H: the records' types come from the deserializers configured.
  return consumer as unknown as ShareConsumer<K, V, H>;
}
