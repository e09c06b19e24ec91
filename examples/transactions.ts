/**
 * Transactions: records sent between `beginTransaction()` and `commitTransaction()` become
 * visible to `read_committed` consumers together, or, after an abort, never.
 *
 *   import { createProducer, type ProducerRecord } from 'kafka-rx';
 *
 * Run: node --require ./bench/register.js examples/transactions.ts [host:port]
 */
import { lastValueFrom } from 'rxjs';
import { createProducer, type ProducerRecord, type RecordMetadata } from '../src';
import { runExample } from './run-example';

export interface TransactionsOptions {
  readonly brokers: string[];
  /** The values of the first transaction, one to `invoices` and one to `ledger`. */
  readonly invoice: string;
  readonly entry: string;
  /** The records of the second transaction. */
  readonly records: readonly ProducerRecord[];
}

/** Commits one transaction with calls, then one with `transaction()`; returns the second's metadata. */
export async function main({
  brokers,
  invoice: a,
  entry: b,
  records,
}: TransactionsOptions): Promise<RecordMetadata[]> {
  // #region transaction
  const producer = createProducer({ brokers, transactionalId: 'billing-1' });
  producer.beginTransaction();
  await producer.send([
    { topic: 'invoices', value: a },
    { topic: 'ledger', value: b },
  ]);
  await producer.commitTransaction(); // flushes, then EndTxn

  // or: begin, run, commit (abort and rethrow on error or unsubscribe); lazy, unlike the calls
  // above, which are eager and awaitable as send is
  const committed$ = producer.transaction((tx) => tx.send(records));
  // #endregion
  try {
    return await lastValueFrom(committed$);
  } finally {
    await producer.close();
  }
}

if (require.main === module) {
  void runExample(
    'invoices',
    async (brokers) => {
      const written = await main({
        brokers,
        invoice: 'invoice-1',
        entry: 'ledger-1',
        records: [{ topic: 'invoices', value: 'invoice-2' }],
      });
      return written.map((m) => `${m.topic}/${m.partition}@${m.offset}`).join(' ');
    },
    (cluster) => cluster.createTopic('ledger', 1),
  );
}
