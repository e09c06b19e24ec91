import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BUILDS, mockBrokerBinary } from './broker/builds';
import { setupSharedKafka } from './broker/kafka/global-kafka';

const source = join(__dirname, 'broker', 'mock-broker.c');

function cached(): boolean {
  const sourceTime = statSync(source).mtimeMs;
  return BUILDS.every((build) => {
    const binary = mockBrokerBinary(build);
    return existsSync(binary) && statSync(binary).mtimeMs > sourceTime;
  });
}

/**
 * Builds the mock brokers once per jest run (the first build fetches and
 * compiles librdkafka, about 30 s); a warm cache costs one stat per build.
 * Then starts the shared Kafka broker when the run's tests need it (about 6 s).
 */
export default async function globalSetup(): Promise<void> {
  if (!cached()) execFileSync(join(__dirname, 'broker', 'build.sh'), { stdio: 'inherit' });
  await setupSharedKafka();
}
