/**
 * Without a broker: the fake cluster from `kafka-rx/testing` listens on local TCP ports, and
 * kafka-rx (or any Kafka client) talks to it as to a real cluster.
 *
 *   import { createFakeCluster } from 'kafka-rx/testing';
 *
 * Run: node --require ./bench/register.js examples/without-a-broker.ts
 */
import { main as gettingStarted } from './getting-started';
import { createFakeCluster } from '../src/testing';

export interface WithoutABrokerOptions {
  /** Where handled records are reported; `console.log` by default. */
  readonly log?: (line: string) => void;
}

/** Runs the getting-started example on a fake cluster of three brokers until it has handled three records. */
export async function main({ log: report = console.log }: WithoutABrokerOptions = {}): Promise<{
  brokers: string[];
  committed: Array<[number, bigint]>;
}> {
  let handled = 0;
  let allHandled: () => void = () => undefined;
  const threeHandled = new Promise<void>((resolve) => (allHandled = resolve));
  const log = (line: string) => {
    report(line);
    // The record is done once its handler's promise has settled, just after this line.
    if (++handled === 3) setImmediate(allHandled);
  };

  // #region fake-cluster
  const cluster = createFakeCluster({ brokers: 3, topics: { greetings: 3 } });
  const { brokers } = await cluster.listen(); // ['127.0.0.1:41234', ...]: one loopback port per broker

  const stop = await gettingStarted({ brokers, log }); // the code of Getting started, as it is
  await threeHandled;
  await stop();
  const committed = cluster.committedOffsets('greeters'); // [{ topic, partition, offset, ... }]
  await cluster.close(); // stops its listeners and timers
  // #endregion
  process.removeListener('SIGINT', stop);
  return { brokers, committed: committed.map((c): [number, bigint] => [c.partition, c.offset]) };
}

if (require.main === module) {
  void main().then(({ committed }) =>
    console.log(`committed ${committed.map(([p, o]) => `${p}@${o}`).join(' ')}`),
  );
}
