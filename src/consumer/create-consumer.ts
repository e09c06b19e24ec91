import { createCluster } from '../cluster';
import { defaultTransport } from '../transport/default-transport';
import type { InstrumentedTransport, Transport } from '../transport/transport';
import { resolveConsumerConfig, type ConsumerConfig } from './config';
import { consumerOnCluster } from './consumer';
import type { Consumer } from './types';

function isInstrumented(t: Transport): t is InstrumentedTransport {
  return 'events$' in t && (t as InstrumentedTransport).events$ !== undefined;
}

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
  const transport = defaultTransport('createConsumer', config, {
    clientId: resolved.clientId,
    clock: resolved.clock,
  });
  const cluster = createCluster({
    brokers: resolved.brokers,
    transport,
    clock: resolved.clock,
    metadataMaxAgeMs: resolved.metadataMaxAgeMs,
    retryBackoffMs: resolved.retryBackoffMs,
    retryBackoffMaxMs: resolved.retryBackoffMaxMs,
    bootstrapTimeoutMs: resolved.bootstrapTimeoutMs,
  });
  return consumerOnCluster(resolved, cluster, isInstrumented(transport) ? transport.events$ : undefined);
}
