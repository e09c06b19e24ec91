import { teardownSharedKafka } from './broker/kafka/global-kafka';

/** Stops what the global setup started (the shared Kafka broker). */
export default async function globalTeardown(): Promise<void> {
  await teardownSharedKafka();
}
