import { createCluster } from '../cluster';
import { defaultTransport } from '../transport/default-transport';
import { createProducerOn } from './producer';
import type { Producer } from './types';
import type { ProducerConfig } from './producer-config';
import { resolveProducerConfig } from './producer-config';
import { ConfigError } from '../config/config-error';

/**
 * A Kafka producer (see `ProducerConfig` for the options and their defaults).
 *
 * @example
 * const producer = createProducer({ brokers: ['127.0.0.1:9092'], compression: 'zstd' });
 * producer.send({ topic: 'orders', key: order.id, value: JSON.stringify(order) }).subscribe(([metadata]) => ...);
 * await producer.close();
 *
 * With serializers, records are typed: `createProducer({ ...options, serializers: { value: serializers.json<Order>() } })`
 * sends `{ topic: 'orders', key: order.id, value: order }`.
 */
export function createProducer<K = Buffer | string, V = Buffer | string, H = Buffer | string>(
  config: ProducerConfig<K, V, H>,
): Producer<K, V, H> {
  // One implementation for every K, V, H: the send serializes records when serializers are configured.
  return createUntypedProducer(config as ProducerConfig<any, any, any>) as unknown as Producer<K, V, H>;
}

function createUntypedProducer(config: ProducerConfig<any, any, any>): Producer {
  if (config.cluster) return createProducerOn(config, { cluster: config.cluster, ownsCluster: false });
  const resolved = resolveProducerConfig(config);
  if (!config.brokers || config.brokers.length === 0)
    throw new ConfigError('brokers: at least one host:port is needed');
  const transport = defaultTransport('createProducer', config, {
    clientId: config.clientId,
    clock: resolved.clock,
    requestTimeoutMs: resolved.requestTimeoutMs,
  });
  const cluster = createCluster({
    brokers: config.brokers,
    transport,
    clock: resolved.clock,
    retryBackoffMs: resolved.retryBackoffMs,
    bootstrapTimeoutMs: config.bootstrapTimeoutMs,
  });
  return createProducerOn(config, { cluster, ownsCluster: true });
}
