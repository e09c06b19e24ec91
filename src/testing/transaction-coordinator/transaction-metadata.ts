import type { Subscription } from 'rxjs';
import type { PartitionState } from '../broker-state/topic';

/** Where a transactional id's transaction stands (Kafka's TransactionState, without the prepare steps: markers are written at once). */
export type TransactionState = 'Empty' | 'Ongoing' | 'CompleteCommit' | 'CompleteAbort';

/** What the transaction coordinator keeps per transactional id (Kafka's TransactionMetadata). */
export interface TransactionMetadata {
  readonly transactionalId: string;
  producerId: bigint;
  producerEpoch: number;
  transactionTimeoutMs: number;
  state: TransactionState;
  /** Partitions added with AddPartitionsToTxn: each gets a marker when the transaction ends. */
  readonly partitions: Set<PartitionState>;
  /** Groups added with AddOffsetsToTxn: their transactional offsets wait for the end. */
  readonly groups: Set<string>;
  /** Aborts the open transaction once transactionTimeoutMs have passed since it began. */
  timeout: Subscription | undefined;
}

/** A producer id and epoch as a request carries them. */
export interface ProducerIdAndEpoch {
  readonly producerId: bigint;
  readonly producerEpoch: number;
}
