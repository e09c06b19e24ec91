import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BUILDS, mockBrokerBinary } from './broker/builds';

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
 */
export default function globalSetup(): void {
  if (cached()) return;
  execFileSync(join(__dirname, 'broker', 'build.sh'), { stdio: 'inherit' });
}
