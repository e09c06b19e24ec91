import { startKafka, type KafkaCluster } from './kafka-cluster';
import { SHARED_KAFKA_ENV } from './shared-kafka';

const key = Symbol.for('kafka-rx.sharedKafka');
type WithCluster = typeof globalThis & { [key]?: KafkaCluster };

/**
 * Jest's global setup part for the shared broker: `KAFKA_BOOTSTRAP` (an outside broker) wins;
 * otherwise one single-node Kafka is started when the run needs it (sequencer.cjs), and its
 * bootstrap address reaches the tests in `KAFKA_RX_TEST_BROKERS`.
 */
export async function setupSharedKafka(): Promise<void> {
  if (process.env.KAFKA_BOOTSTRAP) {
    process.env[SHARED_KAFKA_ENV] = process.env.KAFKA_BOOTSTRAP;
    return;
  }
  if (process.env.KAFKA_RX_NEEDS_KAFKA !== '1') return;
  const cluster = await startKafka({ brokers: 1 });
  (globalThis as WithCluster)[key] = cluster;
  process.env[SHARED_KAFKA_ENV] = cluster.bootstrap;
}

export async function teardownSharedKafka(): Promise<void> {
  const cluster = (globalThis as WithCluster)[key];
  delete (globalThis as WithCluster)[key];
  await cluster?.stop();
}
