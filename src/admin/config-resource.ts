/** What a config belongs to, by Kafka's ConfigResource.Type. */
export type ConfigResourceType = 'topic' | 'broker' | 'broker-logger' | 'client-metrics' | 'group';

export const RESOURCE_TYPE_CODES: Record<ConfigResourceType, number> = {
  topic: 2,
  broker: 4,
  'broker-logger': 8,
  'client-metrics': 16,
  group: 32,
};

/** A topic, broker (by node id; `''` for the cluster-wide broker default), broker logger or group. */
export interface ConfigResource {
  readonly type: ConfigResourceType;
  readonly name: string;
}

/**
 * Broker and broker-logger resources of one broker are answered by that broker itself; everything
 * else by any broker. The node id to ask, or undefined for any.
 */
export function resourceNode(resource: ConfigResource): number | undefined {
  const perBroker = resource.type === 'broker' || resource.type === 'broker-logger';
  return perBroker && /^\d+$/.test(resource.name) ? Number(resource.name) : undefined;
}
