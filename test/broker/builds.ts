import { join } from 'node:path';

/**
 * Which librdkafka a mock broker (and kcat, as a client) runs on:
 * - `new`: 2.12, built from node-rdkafka@3.6.1's sources; flexible versions.
 * - `old`: Debian's 2.0.2; non-flexible versions only.
 */
export type Build = 'new' | 'old';

export const BUILDS: readonly Build[] = ['new', 'old'];

const cacheDir = join(__dirname, '..', '..', '.cache', 'mock-broker');

export function mockBrokerBinary(build: Build): string {
  return join(cacheDir, build, 'mock-broker');
}

/**
 * Environment that makes Debian's kcat load the given librdkafka. kcat links
 * librdkafka.so.1 dynamically and 2.12 keeps the 2.0 ABI, so the same kcat is
 * a 2.0.2 client or a 2.12 client.
 */
export function librdkafkaEnv(build: Build): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.LD_LIBRARY_PATH;
  if (build === 'new') env.LD_LIBRARY_PATH = join(cacheDir, 'new', 'lib');
  return env;
}
