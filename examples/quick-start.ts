/**
 * Quick start: read a topic as an RxJS stream and shape it with a pipeline.
 *
 *   import { createConsumer } from 'kafka-rx';
 *
 * Run: node --require ./bench/register.js examples/quick-start.ts [host:port]
 */
import { filter, lastValueFrom, map, take, toArray } from 'rxjs';
import { createConsumer } from '../src';
import { runExample } from './run-example';

/** An order as the `orders` topic carries it (JSON in the record value). */
export interface Order {
  readonly id: string;
  readonly total: number;
}

export interface QuickStartOptions {
  readonly brokers: string[];
  readonly topic?: string;
  readonly groupId?: string;
  /** How many large orders to collect before stopping. */
  readonly count?: number;
}

/** Collects the first `count` orders of 100 or more, as `id: total` lines. */
export async function main({
  brokers,
  topic = 'orders',
  groupId = 'quick-start',
  count = 3,
}: QuickStartOptions): Promise<string[]> {
  const consumer = createConsumer({ brokers, groupId, topics: [topic], fromBeginning: true });
  try {
    return await lastValueFrom(
      // Every stage is synchronous, so a record is done (and may be committed) once its `next`
      // returns; asynchronous work per record belongs in processRecords (see per-partition.ts).
      consumer.messages$.pipe(
        map((record) => JSON.parse(record.value?.toString() ?? 'null') as Order),
        filter((order) => order.total >= 100),
        map((order) => `${order.id}: ${order.total}`),
        // Completing unsubscribes, which commits what was consumed and leaves the group.
        take(count),
        toArray(),
      ),
    );
  } finally {
    await consumer.close();
  }
}

if (require.main === module) {
  void runExample(
    'orders',
    (brokers) => main({ brokers }),
    (cluster) => {
      const totals = [40, 120, 75, 300, 99, 150, 20];
      totals.forEach((total, i) =>
        cluster.append('orders', i % 3, [
          { key: `customer-${i}`, value: JSON.stringify({ id: `order-${i}`, total }) },
        ]),
      );
    },
  );
}
