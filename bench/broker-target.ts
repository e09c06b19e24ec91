/**
 * Where a benchmark runs: Apache Kafka (one KRaft node in combined mode, from the test broker's
 * jar cache, on this machine) or librdkafka's mock cluster (C, in memory). Both are started on
 * loopback and stopped by the benchmark.
 */
import { startKafka } from '../test/broker/kafka/kafka-cluster';
import { createTopics } from '../test/broker/kafka/topics';
import { startMockCluster, type MockCluster } from '../test/broker/mock-cluster';

export type BrokerKind = 'kafka' | 'mock';

export const BROKER_KINDS: readonly BrokerKind[] = ['kafka', 'mock'];

export interface BrokerTarget {
  readonly kind: BrokerKind;
  readonly bootstrap: string;
  /** E.g. `1 Apache Kafka 4.4.0 node` or `3 mock brokers (librdkafka 2.12.0)`. */
  readonly description: string;
  /** The mock cluster, for what only it has (its coordinator setting for the bridge). */
  readonly mock?: MockCluster;
  createTopic(name: string, partitions: number): Promise<void>;
  stop(): Promise<void>;
}

/** `--broker` as given on the command line. */
export function brokerKind(text: string | undefined): BrokerKind {
  const kind = BROKER_KINDS.find((k) => k === text);
  if (!kind) throw new Error(`--broker must be one of ${BROKER_KINDS.join(', ')}, got ${text}`);
  return kind;
}

/** Starts the broker; `mockBrokers` is how many brokers the mock cluster has (Kafka gets one node). */
export async function startTarget(kind: BrokerKind, mockBrokers: number): Promise<BrokerTarget> {
  if (kind === 'kafka') {
    const cluster = await startKafka({ brokers: 1 });
    return {
      kind,
      bootstrap: cluster.bootstrap,
      description: `1 Apache Kafka ${cluster.version} node (KRaft, combined mode)`,
      createTopic: (name, partitions) => createTopics(cluster.bootstrap, [{ name, partitions }]),
      stop: () => cluster.stop(),
    };
  }
  const mock = await startMockCluster({ brokers: mockBrokers });
  const version = await mock.version();
  return {
    kind,
    bootstrap: mock.bootstrap,
    description: `${mockBrokers} mock broker${mockBrokers === 1 ? '' : 's'} (librdkafka ${version})`,
    mock,
    createTopic: (name, partitions) => mock.createTopic(name, partitions),
    stop: () => mock.stop(),
  };
}
