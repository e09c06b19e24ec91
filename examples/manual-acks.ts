/**
 * Manual acknowledgements: with `autoCommit: { ackMode: 'manual' }` a record counts as done only
 * when `record.ack()` is called, so a commit never covers a record whose work is still under way,
 * even when several records are handled at once and finish out of order.
 *
 *   import { createConsumer, type ConsumerRecord } from 'kafka-rx';
 *
 * Run: node --require ./bench/register.js examples/manual-acks.ts [host:port]
 */
import { defer, lastValueFrom, map, mergeMap, take, tap, toArray, type Observable } from 'rxjs';
import { createConsumer, type ConsumerRecord } from '../src';
import { runExample } from './run-example';

export interface ManualAcksOptions {
  readonly brokers: string[];
  readonly topic?: string;
  readonly groupId?: string;
  readonly count?: number;
  /** The work done per record (e.g. a database write); by default it just resolves. */
  readonly handle?: (record: ConsumerRecord) => Promise<void>;
}

/** Handles `count` records, four at a time, acknowledging each once its work is done. */
export async function main({
  brokers,
  topic = 'payments',
  groupId = 'manual-acks',
  count = 6,
  handle = async () => undefined,
}: ManualAcksOptions): Promise<string[]> {
  const consumer = createConsumer({
    brokers,
    groupId,
    topics: [topic],
    fromBeginning: true,
    autoCommit: { intervalMs: 1000, ackMode: 'manual' },
  });
  const work = (record: ConsumerRecord): Observable<string> =>
    defer(() => handle(record)).pipe(
      tap(() => record.ack()),
      map(() => `${record.partition}@${record.offset}: ${record.value?.toString()}`),
    );
  try {
    return await lastValueFrom(consumer.messages$.pipe(mergeMap(work, 4), take(count), toArray()));
  } finally {
    // Commits the acknowledged records and leaves the group.
    await consumer.close();
  }
}

if (require.main === module) {
  void runExample(
    'payments',
    (brokers) => main({ brokers }),
    (cluster) => {
      for (let i = 0; i < 6; i++) cluster.append('payments', i % 3, [{ value: `payment-${i}` }]);
    },
  );
}
