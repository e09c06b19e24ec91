/**
 * Runs an example from the command line: against the brokers given as the first argument, or,
 * with none, against an in-process fake cluster (from `kafka-rx/testing`) on a local port that
 * `seed` fills with sample records first.
 *
 *   node --require ./bench/register.js examples/quick-start.ts             # fake cluster
 *   node --require ./bench/register.js examples/quick-start.ts host:9092   # your cluster
 */
import { createFakeCluster, type FakeCluster } from '../src/testing';

export async function runExample<T>(
  topic: string,
  main: (brokers: string[]) => Promise<T>,
  seed: (cluster: FakeCluster) => void,
): Promise<void> {
  // Flags (`--exactly-once`) are the example's own.
  const given = process.argv.slice(2).find((arg) => !arg.startsWith('--'));
  let cluster: FakeCluster | undefined;
  let brokers: string[];
  if (given !== undefined) brokers = given.split(',');
  else {
    cluster = createFakeCluster({ topics: { [topic]: 3 } });
    seed(cluster);
    brokers = (await cluster.listen()).brokers;
  }
  try {
    console.log(await main(brokers));
  } finally {
    await cluster?.close();
  }
}
