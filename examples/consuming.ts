/**
 * Consuming at least once: `processRecords` marks each record done when its work completes, so
 * commits (auto, on revoke, on close) never pass unfinished work; commits and rebalances are
 * streams too. On SIGINT or SIGTERM it stops taking records, commits and leaves the group.
 *
 *   import { createConsumer, processRecords, type ConsumerRecord } from 'kafka-rx';
 *
 * Run: node --require ./bench/register.js examples/consuming.ts [host:port]   (Ctrl-C stops it)
 */
import { createConsumer, processRecords, type Consumer, type ConsumerRecord } from '../src';
import { runExample } from './run-example';

export interface ConsumingOptions {
  readonly brokers: string[];
  /** The work done per record (e.g. a database write). */
  readonly handle: (record: ConsumerRecord) => Promise<void>;
  /** Where commits and rebalances are reported; `console.log` by default. */
  readonly log?: (...items: unknown[]) => void;
}

/** Consumes `orders` until SIGINT or SIGTERM; returns the consumer (closed by the signal). */
export function main({ brokers, handle, log = console.log }: ConsumingOptions): Consumer {
  // #region consume
  const consumer = createConsumer({
    brokers,
    groupId: 'orders',
    topics: ['orders'], // or topicPattern: /^orders-/
    fromBeginning: true,
    autoCommit: { intervalMs: 5000 }, // or autoCommit: false
  });

  // At least once: each record is done, and may be committed, once handle(record) completes.
  // Records of one partition are handled in order; up to 4 partitions at once.
  const subscription = consumer.messages$
    .pipe(processRecords((record) => handle(record), { concurrency: 4 }))
    .subscribe({ error: (error) => log(error) });

  consumer.commits$.subscribe(({ trigger, offsets, error }) => log(trigger, offsets, error?.name));
  consumer.rebalances$.subscribe(({ type, partitions }) => log(type, partitions));
  // #endregion

  // #region shutdown
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      subscription.unsubscribe(); // stop taking records
      void consumer.close(); // commit, LeaveGroup, close connections; at most closeTimeoutMs (10 s)
    });
  }
  // #endregion
  return consumer;
}

if (require.main === module) {
  void runExample(
    'orders',
    async (brokers) => {
      const consumer = main({
        brokers,
        handle: async (record) => console.log(`${record.partition}@${record.offset}: ${record.value}`),
      });
      await new Promise<void>((resolve) => consumer.commits$.subscribe({ complete: resolve }));
      return 'closed';
    },
    (cluster) => {
      for (let i = 0; i < 6; i++) cluster.append('orders', i % 3, [{ value: `order-${i}` }]);
    },
  );
}
