/** An input offset committed with a transaction: the next offset to consume from that partition. */
export interface TransactionOffset {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
}

/**
 * The consumer group whose offsets a transaction commits, as `Consumer.groupMetadata()` gives it.
 * The coordinator checks `generationId` and `memberId` (TxnOffsetCommit v3+), so a member that
 * lost its partitions in a rebalance cannot commit offsets for them.
 */
export interface GroupMetadata {
  readonly groupId: string;
  readonly generationId: number;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
}

/**
 * Where a transactional producer stands:
 * - `ready`: no transaction open; `beginTransaction()` may start one;
 * - `in-transaction`: records and offsets may be sent;
 * - `committing` / `aborting`: EndTxn under way (a `committing` whose EndTxn timed out may be retried);
 * - `abortable`: something in the transaction failed; only `abortTransaction()` is allowed;
 * - `fatal`: fenced by a newer producer with the same transactionalId, or another error after
 *   which the producer must be closed.
 */
export type TransactionState = 'ready' | 'in-transaction' | 'committing' | 'aborting' | 'abortable' | 'fatal';
