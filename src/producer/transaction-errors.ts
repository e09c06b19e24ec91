import { KafkaRxError } from '../errors';

/**
 * A transaction call that the producer's state does not allow: `beginTransaction()` twice, a commit
 * with no transaction open, a `send` outside a transaction, a commit after a failure in the
 * transaction (abort instead), or any transaction call on a producer without a `transactionalId`.
 * `cause` holds the error that made the transaction abortable or the producer unusable, if any.
 */
export class TransactionStateError extends KafkaRxError {
  constructor(message: string, cause?: unknown) {
    super('TransactionStateError', message, { cause });
  }
}

/**
 * Another producer with the same `transactionalId` has started (InitProducerId gave it a newer
 * epoch), so this one may write no more (PRODUCER_FENCED or INVALID_PRODUCER_EPOCH). Fatal: close
 * this producer; its open transaction is aborted by the coordinator.
 */
export class ProducerFencedError extends KafkaRxError {
  constructor(transactionalId: string, code: number, cause?: unknown) {
    super(
      'ProducerFencedError',
      `transactionalId "${transactionalId}": fenced by a newer producer with the same transactionalId; close this producer`,
      { code, cause },
    );
  }
}

/** A record of a transaction that was aborted before the record was sent. */
export class TransactionAbortedError extends KafkaRxError {
  constructor(where: string) {
    super('TransactionAbortedError', `${where}: the transaction was aborted before this record was sent`);
  }
}
