import { timer } from 'rxjs';
import { ErrorCode } from '../../protocol/errors';
import { now, type Clock } from '../../time/clock';
import type { PartitionState } from '../broker-state/topic';
import type { GroupCoordinator } from '../group-coordinator/group-coordinator';
import type { ProducerIdAndEpoch, TransactionMetadata } from './transaction-metadata';

/** Kafka's transaction.max.timeout.ms. */
const MAX_TRANSACTION_TIMEOUT_MS = 900000;

export interface TransactionCoordinatorDeps {
  readonly clock: Clock;
  readonly allocateProducerId: () => bigint;
  readonly groups: GroupCoordinator;
  /** Told after a marker is appended, so waiting fetches wake. */
  readonly appended: (partition: PartitionState) => void;
}

export interface InitProducerIdResult extends ProducerIdAndEpoch {
  readonly errorCode: number;
}

/**
 * The broker side of transactions, after Kafka's TransactionCoordinator (transaction protocol
 * v1, as clients up to AddPartitionsToTxn v3 speak it): InitProducerId gives a transactional id
 * its producer id and bumps the epoch on every call, which fences the previous producer and
 * aborts what it left open; AddPartitionsToTxn and AddOffsetsToTxn open the transaction; EndTxn
 * writes a COMMIT or ABORT marker into every added partition and completes the groups' offsets.
 * A transaction still open transactionTimeoutMs after it began is aborted under a bumped epoch,
 * which fences its producer (Kafka looks every 10 s; here it happens on the dot, on the clock).
 * Kafka's PrepareCommit/PrepareAbort steps are not modelled: markers are written before EndTxn
 * is answered, so CONCURRENT_TRANSACTIONS never occurs.
 */
export class TransactionCoordinator {
  private readonly transactions = new Map<string, TransactionMetadata>();
  private readonly byProducerId = new Map<bigint, TransactionMetadata>();

  constructor(private readonly deps: TransactionCoordinatorDeps) {}

  initProducerId(
    transactionalId: string,
    transactionTimeoutMs: number,
    expected: ProducerIdAndEpoch | undefined,
  ): InitProducerIdResult {
    const failed = (errorCode: number) => ({ errorCode, producerId: -1n, producerEpoch: -1 });
    if (transactionTimeoutMs <= 0 || transactionTimeoutMs > MAX_TRANSACTION_TIMEOUT_MS)
      return failed(ErrorCode.INVALID_TRANSACTION_TIMEOUT);
    let txn = this.transactions.get(transactionalId);
    if (txn === undefined) {
      txn = {
        transactionalId,
        producerId: this.deps.allocateProducerId(),
        producerEpoch: 0,
        transactionTimeoutMs,
        state: 'Empty',
        partitions: new Set(),
        groups: new Set(),
        timeout: undefined,
      };
      this.transactions.set(transactionalId, txn);
      this.byProducerId.set(txn.producerId, txn);
      return { errorCode: ErrorCode.NONE, producerId: txn.producerId, producerEpoch: 0 };
    }
    // KIP-360: a producer that names its current id and epoch asks for a bump; any other is fenced.
    if (
      expected !== undefined &&
      expected.producerId >= 0n &&
      (expected.producerId !== txn.producerId || expected.producerEpoch !== txn.producerEpoch)
    )
      return failed(ErrorCode.PRODUCER_FENCED);
    txn.producerEpoch += 1;
    txn.transactionTimeoutMs = transactionTimeoutMs;
    // The new epoch fences the old producer; what it left open is aborted under the new epoch.
    if (txn.state === 'Ongoing') this.complete(txn, false);
    txn.state = 'Empty';
    return { errorCode: ErrorCode.NONE, producerId: txn.producerId, producerEpoch: txn.producerEpoch };
  }

  addPartitions(
    transactionalId: string,
    producer: ProducerIdAndEpoch,
    partitions: readonly PartitionState[],
  ): number {
    const txn = this.current(transactionalId, producer);
    if (typeof txn === 'number') return txn;
    for (const p of partitions) txn.partitions.add(p);
    this.begin(txn);
    return ErrorCode.NONE;
  }

  addOffsets(transactionalId: string, producer: ProducerIdAndEpoch, groupId: string): number {
    const txn = this.current(transactionalId, producer);
    if (typeof txn === 'number') return txn;
    txn.groups.add(groupId);
    this.begin(txn);
    return ErrorCode.NONE;
  }

  endTransaction(transactionalId: string, producer: ProducerIdAndEpoch, committed: boolean): number {
    const txn = this.current(transactionalId, producer);
    if (typeof txn === 'number') return txn;
    switch (txn.state) {
      case 'Ongoing':
        this.complete(txn, committed);
        return ErrorCode.NONE;
      // A retried EndTxn whose first answer was lost: the same outcome again is fine.
      case 'CompleteCommit':
        return committed ? ErrorCode.NONE : ErrorCode.INVALID_TXN_STATE;
      case 'CompleteAbort':
        return committed ? ErrorCode.INVALID_TXN_STATE : ErrorCode.NONE;
      default:
        return ErrorCode.INVALID_TXN_STATE;
    }
  }

  /**
   * Whether a transactional batch may be appended to `partition` (Kafka's partition
   * verification): its producer's current epoch, in a transaction that added the partition.
   */
  verifyProduce(producer: ProducerIdAndEpoch, partition: PartitionState): number {
    const txn = this.byProducerId.get(producer.producerId);
    if (txn === undefined) return ErrorCode.INVALID_PRODUCER_ID_MAPPING;
    if (producer.producerEpoch !== txn.producerEpoch) return ErrorCode.INVALID_PRODUCER_EPOCH;
    if (txn.state !== 'Ongoing' || !txn.partitions.has(partition)) return ErrorCode.INVALID_TXN_STATE;
    return ErrorCode.NONE;
  }

  /** Whether a TxnOffsetCommit for `groupId` belongs to the producer's open transaction. */
  verifyOffsetCommit(transactionalId: string, producer: ProducerIdAndEpoch, groupId: string): number {
    const txn = this.transactions.get(transactionalId);
    if (txn === undefined || txn.producerId !== producer.producerId)
      return ErrorCode.INVALID_PRODUCER_ID_MAPPING;
    // An append to the offsets log with an old epoch fails as a Produce does.
    if (producer.producerEpoch !== txn.producerEpoch) return ErrorCode.INVALID_PRODUCER_EPOCH;
    if (txn.state !== 'Ongoing' || !txn.groups.has(groupId)) return ErrorCode.INVALID_TXN_STATE;
    return ErrorCode.NONE;
  }

  /** Stops the transaction timeouts. */
  close(): void {
    for (const txn of this.transactions.values()) txn.timeout?.unsubscribe();
  }

  /** The state of a transactional id, for tests. */
  describe(transactionalId: string): Readonly<TransactionMetadata> | undefined {
    return this.transactions.get(transactionalId);
  }

  private current(transactionalId: string, producer: ProducerIdAndEpoch): TransactionMetadata | number {
    const txn = this.transactions.get(transactionalId);
    if (txn === undefined || txn.producerId !== producer.producerId)
      return ErrorCode.INVALID_PRODUCER_ID_MAPPING;
    if (producer.producerEpoch !== txn.producerEpoch) return ErrorCode.PRODUCER_FENCED;
    return txn;
  }

  /** The first AddPartitionsToTxn or AddOffsetsToTxn of a transaction starts its timeout. */
  private begin(txn: TransactionMetadata): void {
    if (txn.state === 'Ongoing') return;
    txn.state = 'Ongoing';
    txn.timeout = timer(txn.transactionTimeoutMs, this.deps.clock).subscribe(() => {
      txn.producerEpoch += 1;
      this.complete(txn, false);
    });
  }

  /** Writes the markers and settles the groups' offsets (Kafka's WriteTxnMarkers, done at once). */
  private complete(txn: TransactionMetadata, committed: boolean): void {
    txn.timeout?.unsubscribe();
    txn.timeout = undefined;
    const marker = {
      producerId: txn.producerId,
      producerEpoch: txn.producerEpoch,
      committed,
      timestamp: now(this.deps.clock),
    };
    for (const p of txn.partitions) {
      p.log.appendMarker(marker, p.leaderEpoch);
      p.producers.markerWritten(txn.producerId, txn.producerEpoch);
      this.deps.appended(p);
    }
    for (const groupId of txn.groups)
      this.deps.groups.completeTransaction(groupId, txn.producerId, committed);
    txn.partitions.clear();
    txn.groups.clear();
    txn.state = committed ? 'CompleteCommit' : 'CompleteAbort';
  }
}
