import type { Observable } from 'rxjs';
import type { Eager } from '../eager';
import type { ProducerRecord, RecordMetadata } from './producer-record';
import type { GroupMetadata, TransactionOffset } from './transaction-types';

/**
 * A Kafka producer: batches records per partition and sends them to partition leaders. `K`, `V`
 * and `H` are what its serializers take (`Buffer` or string without them).
 */
export interface Producer<K = Buffer | string, V = Buffer | string, H = Buffer | string> {
  /**
   * Sends records. Eager: the records are accepted at the call, whether or not anyone subscribes.
   * The result emits the metadata of every record, in the order given, once all are acknowledged,
   * then completes; it errors if any record fails (others may have been written). It replays that
   * outcome to every subscriber and can be awaited. A failure nobody subscribes to or awaits is
   * dropped (never an unhandled rejection).
   */
  send(records: ProducerRecord<K, V, H> | readonly ProducerRecord<K, V, H>[]): Eager<RecordMetadata[]>;
  /** Sends every accepted record now (no linger) and resolves when all have been answered. */
  flush(): Promise<void>;
  /**
   * Refuses new records, flushes the rest, and closes the connections it opened. Idempotent.
   * An open transaction is aborted first. Bounded by `closeTimeoutMs`: then the sends still
   * pending fail with a `ProducerClosedError` saying so, and it resolves.
   */
  close(): Promise<void>;
  /**
   * Opens a transaction (a producer with a `transactionalId`): records sent until
   * `commitTransaction()` or `abortTransaction()` are committed or aborted together. Throws a
   * `TransactionStateError` if a transaction is already open or the producer is not transactional.
   */
  beginTransaction(): void;
  /**
   * Commits a consumer group's offsets as part of the open transaction (AddOffsetsToTxn, then
   * TxnOffsetCommit to the group coordinator): they take effect only if the transaction commits.
   * `offsets` are the next offsets to consume; `group` is what `Consumer.groupMetadata()` gives.
   * Eager and awaitable (as `send`); emits once when the coordinator has the offsets.
   */
  sendOffsetsToTransaction(offsets: readonly TransactionOffset[], group: GroupMetadata): Eager<void>;
  /**
   * Sends every record of the transaction, waits for them, then commits it (EndTxn). Eager and
   * awaitable; emits once when committed. Errors if a record of the transaction failed (then abort
   * it), and with a `ProducerFencedError` if a newer producer took over the transactionalId.
   */
  commitTransaction(): Eager<void>;
  /**
   * Drops the transaction's records not yet sent, waits for those in flight, then aborts it
   * (EndTxn). Eager and awaitable; emits once.
   */
  abortTransaction(): Eager<void>;
  /**
   * `work` inside a transaction: begin, run `work(producer)`, commit when it completes, then emit
   * its values; abort (and pass the error on) if it or the commit fails, or on unsubscribe. Lazy,
   * unlike the calls above: it wraps work, so nothing begins until it is subscribed to.
   */
  transaction<T>(work: (producer: Producer<K, V, H>) => Observable<T>): Observable<T>;
}
