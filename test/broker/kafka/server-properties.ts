/** A listener besides PLAINTEXT (clients) and CONTROLLER, e.g. `{ name: 'SASL_PLAINTEXT', protocol: 'SASL_PLAINTEXT' }`. */
export interface ListenerSpec {
  /** Listener name as in `listeners` (upper case; settings for it are `listener.name.<lower case>.*`). */
  name: string;
  protocol: 'PLAINTEXT' | 'SSL' | 'SASL_PLAINTEXT' | 'SASL_SSL';
}

export interface NodePorts {
  /** PLAINTEXT, the listener for clients and between brokers. */
  client: number;
  controller: number;
  /** Port per extra listener name. */
  listeners: Record<string, number>;
}

export interface ServerPropertiesInput {
  nodeId: number;
  /** Ports of every node, by node id; every node is a broker and a controller voter. */
  nodes: Map<number, NodePorts>;
  listeners: ListenerSpec[];
  logDir: string;
  /** Overrides and additions, applied last. */
  config: Record<string, string>;
}

/**
 * server.properties of one KRaft node in combined mode: replication factors and min.insync.replicas
 * follow the cluster size (RF = brokers, min ISR 2 on three brokers so that one may be down);
 * internal topics have few partitions (quick to create); no initial rebalance delay; topics are
 * created explicitly. The group protocols (classic, consumer, share) keep Kafka 4's defaults: share
 * groups come from the `share.version` feature that `kafka-storage format` sets, and the
 * `group.coordinator.rebalance.protocols` setting is deprecated.
 */
export function serverProperties(input: ServerPropertiesInput): string {
  const { nodeId, nodes, listeners } = input;
  const own = nodes.get(nodeId)!;
  const size = nodes.size;
  const minIsr = String(Math.min(size, 2));
  const voters = [...nodes].map(([id, p]) => `${id}@127.0.0.1:${p.controller}`).join(',');
  const clientListeners = [
    `PLAINTEXT://127.0.0.1:${own.client}`,
    ...listeners.map((l) => `${l.name}://127.0.0.1:${own.listeners[l.name]}`),
  ];
  const props: Record<string, string> = {
    'process.roles': 'broker,controller',
    'node.id': String(nodeId),
    'controller.quorum.voters': voters,
    listeners: [...clientListeners, `CONTROLLER://127.0.0.1:${own.controller}`].join(','),
    'advertised.listeners': clientListeners.join(','),
    'listener.security.protocol.map': [
      'PLAINTEXT:PLAINTEXT',
      'CONTROLLER:PLAINTEXT',
      ...listeners.map((l) => `${l.name}:${l.protocol}`),
    ].join(','),
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'log.dirs': input.logDir,
    'num.partitions': '1',
    'default.replication.factor': String(size),
    'min.insync.replicas': minIsr,
    'offsets.topic.replication.factor': String(size),
    'offsets.topic.num.partitions': '4',
    'transaction.state.log.replication.factor': String(size),
    'transaction.state.log.min.isr': minIsr,
    'transaction.state.log.num.partitions': '4',
    'share.coordinator.state.topic.replication.factor': String(size),
    'share.coordinator.state.topic.min.isr': minIsr,
    'share.coordinator.state.topic.num.partitions': '4',
    'group.initial.rebalance.delay.ms': '0',
    'auto.create.topics.enable': 'false',
    // Short group timers so that KIP-848 and share-group tests run in seconds; classic members may
    // ask for sessions down to 2 s (Kafka's floor is 6 s), so that tests outlasting one do too.
    'group.min.session.timeout.ms': '2000',
    'group.consumer.min.session.timeout.ms': '6000',
    'group.consumer.session.timeout.ms': '10000',
    'group.consumer.min.heartbeat.interval.ms': '500',
    'group.consumer.heartbeat.interval.ms': '1000',
    'group.share.min.session.timeout.ms': '6000',
    'group.share.session.timeout.ms': '10000',
    'group.share.min.heartbeat.interval.ms': '500',
    'group.share.heartbeat.interval.ms': '1000',
    // Acquisition locks as short as 5 s (Kafka's floor is 15 s), for tests that wait one out.
    'group.share.min.record.lock.duration.ms': '5000',
    'num.network.threads': '2',
    'num.io.threads': '2',
    'background.threads': '2',
    ...input.config,
  };
  return Object.entries(props)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n')
    .concat('\n');
}
