import {
  catchError,
  defer,
  map,
  merge,
  mergeMap,
  type Observable,
  of,
  share,
  Subject,
  type Subscription,
  take,
  tap,
  throwError,
} from 'rxjs';
import type { Cluster } from '../cluster/cluster';
import { ErrorCode } from '../protocol/errors';
import type { ApiSpec } from '../protocol/spec';
import { AddOffsetsToTxn } from '../protocol/specs/add-offsets-to-txn';
import { EndTxn } from '../protocol/specs/end-txn';
import { TxnOffsetCommit } from '../protocol/specs/txn-offset-commit';
import { IdempotenceGuard } from './idempotence';
import type { ProducerBatch, ProducerIdentity } from './producer-batch';
import type { ResolvedProducerConfig } from './producer-config';
import type { RecordAccumulator } from './record-accumulator';
import { ProducerFencedError, TransactionAbortedError, TransactionStateError } from './transaction-errors';
import {
  addPartitionsBody,
  addPartitionsError,
  AddPartitionsToTxnClient,
  coordinatorRequest$,
  txnOffsetCommitBody,
  txnOffsetCommitError,
  type CoordinatorRequest,
} from './transaction-requests';
import type { GroupMetadata, TransactionOffset, TransactionState } from './transaction-types';

/** Errors after which this producer may never write again. */
const FATAL = new Set<number>([
  ErrorCode.PRODUCER_FENCED,
  ErrorCode.INVALID_PRODUCER_EPOCH,
  ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
  ErrorCode.TRANSACTION_COORDINATOR_FENCED,
  ErrorCode.INVALID_TXN_STATE,
  ErrorCode.INVALID_PRODUCER_ID_MAPPING,
  ErrorCode.UNSUPPORTED_VERSION,
]);

const FENCED = new Set<number>([ErrorCode.PRODUCER_FENCED, ErrorCode.INVALID_PRODUCER_EPOCH]);

function partitionKey(topic: string, partition: number): string {
  return `${partition}:${topic}`;
}

/**
 * The transactional producer's state (Kafka's TransactionManager): the idempotent identity, now
 * from the transaction coordinator, plus the transaction state machine
 * (ready → in-transaction → committing/aborting → ready; abortable after a failure inside a
 * transaction; fatal once fenced). Before the first batch to a partition in a transaction it adds
 * the partition with AddPartitionsToTxn (all partitions met in one sender round go together);
 * the sender holds batches until then. Offsets go with AddOffsetsToTxn to the transaction
 * coordinator, then TxnOffsetCommit to the group coordinator; EndTxn ends the transaction.
 */
export class TransactionManager extends IdempotenceGuard {
  private stateNow: TransactionState = 'ready';
  private failure: unknown;
  /** Partitions added to the open transaction. */
  private readonly added = new Set<string>();
  /** Partitions waiting for (or in) an AddPartitionsToTxn. */
  private readonly adding = new Map<string, { topic: string; partition: number }>();
  private addRequest: Subscription | undefined;
  /** Emits when an AddPartitionsToTxn has settled. */
  private readonly addSettled$ = new Subject<void>();
  private addScheduled: Subscription | undefined;
  /** Whether the coordinator knows of the open transaction (partitions or offsets added). */
  private started = false;
  /** Batches of the open transaction that may still fail it. */
  private readonly enlisted = new WeakSet<ProducerBatch>();
  /** A stamped batch failed: sequence numbers have a gap, so the epoch is bumped after the abort. */
  private bumpEpoch = false;
  private ending: Observable<void> | undefined;
  constructor(
    config: ResolvedProducerConfig,
    cluster: Cluster,
    accumulator: RecordAccumulator,
    private readonly transactionalId: string,
    /** Sends everything accepted and waits for the answers (the producer's flush). */
    private readonly flush: () => Observable<void>,
  ) {
    super(config, cluster, accumulator);
  }

  /** The sender also goes on when an AddPartitionsToTxn has been answered. */
  override get wake$(): Observable<void> {
    return merge(this.changes$, this.addSettled$);
  }

  get state(): TransactionState {
    return this.stateNow;
  }

  /** Opens a transaction; throws a `TransactionStateError` unless the producer is `ready`. */
  begin(): void {
    this.check('beginTransaction', ['ready']);
    this.stateNow = 'in-transaction';
    this.failure = undefined;
    this.started = false;
    this.added.clear();
    // InitProducerId early: it fences older producers with this transactionalId before we write.
    this.identity();
  }

  /** Throws unless records may be sent now (inside a transaction). */
  checkSend(): void {
    this.check('send', ['in-transaction']);
  }

  /** Watches the outcome of a batch of the open transaction: if it fails, so does the transaction. */
  enlist(batch: ProducerBatch): void {
    if (this.enlisted.has(batch)) return;
    this.enlisted.add(batch);
    batch.ack$.subscribe({ error: (error: unknown) => this.failed(error), complete: () => undefined });
  }

  override mayWrite(topic: string, partition: number): boolean {
    const key = partitionKey(topic, partition);
    if (this.added.has(key)) return true;
    if (this.stateNow !== 'in-transaction' && this.stateNow !== 'committing') return false;
    if (!this.adding.has(key)) {
      this.adding.set(key, { topic, partition });
      this.scheduleAdd();
    }
    return false;
  }

  override sequenceBroken(_batch: ProducerBatch, error: unknown): void {
    // A transactional producer keeps its id: the gap is closed by bumping the epoch after the abort.
    this.bumpEpoch = true;
    this.failed(error);
  }

  /** AddOffsetsToTxn, then TxnOffsetCommit to the group's coordinator. */
  sendOffsets(offsets: readonly TransactionOffset[], group: GroupMetadata): Observable<void> {
    return defer(() => {
      this.check('sendOffsetsToTransaction', ['in-transaction']);
      if (offsets.length === 0) return of(undefined);
      for (const o of offsets) {
        if (
          typeof o.offset !== 'bigint' ||
          o.offset < 0n ||
          !Number.isInteger(o.partition) ||
          o.partition < 0
        ) {
          throw new TransactionStateError(
            `sendOffsetsToTransaction: ${o.topic}[${o.partition}] needs a partition >= 0 and an offset that is a bigint >= 0`,
          );
        }
      }
      const transactionalId = this.transactionalId;
      return this.identity$().pipe(
        mergeMap((identity) =>
          this.request$({
            key: transactionalId,
            type: 'transaction',
            api: AddOffsetsToTxn,
            body: { transactionalId, ...identity, groupId: group.groupId },
            what: `AddOffsetsToTxn for group "${group.groupId}"`,
            errorOf: (r) => r.errorCode,
          }).pipe(
            tap(() => (this.started = true)),
            mergeMap(() =>
              this.request$({
                key: group.groupId,
                type: 'group',
                api: TxnOffsetCommit,
                body: txnOffsetCommitBody(transactionalId, identity, offsets, group),
                what: `TxnOffsetCommit for group "${group.groupId}"`,
                errorOf: txnOffsetCommitError,
              }),
            ),
          ),
        ),
        map(() => undefined),
        catchError((error: unknown) => {
          this.failed(error);
          return throwError(() => error);
        }),
      );
    });
  }

  /** Flushes, then EndTxn(commit). Errors (leaving the transaction abortable) if anything in it failed. */
  commit(): Observable<void> {
    return defer(() => {
      if (this.stateNow === 'committing' && this.ending) return this.ending;
      this.check('commitTransaction', ['in-transaction', 'committing']);
      this.stateNow = 'committing';
      this.ending = defer(() => this.flush()).pipe(
        mergeMap(() => {
          if (this.stateNow !== 'committing') {
            throw new TransactionStateError(
              'commitTransaction: a send in the transaction failed; abort it',
              this.failure,
            );
          }
          return this.endTxn$(true);
        }),
        tap({ next: () => this.finish(), finalize: () => (this.ending = undefined) }),
        share(),
      );
      return this.ending;
    });
  }

  /** Drops the records not yet sent, waits for those in flight, then EndTxn(abort). */
  abort(): Observable<void> {
    return defer(() => {
      if (this.stateNow === 'aborting' && this.ending) return this.ending;
      this.check('abortTransaction', ['in-transaction', 'abortable', 'committing', 'aborting']);
      this.stateNow = 'aborting';
      for (const queue of this.accumulator.partitions()) {
        const dropped = queue.waiting.splice(0);
        // A retried batch may have been written: its sequence numbers are spent, so the epoch is
        // bumped. Batches stamped but never sent give theirs back.
        if (dropped.some((b) => b.attempts > 0)) this.bumpEpoch = true;
        const unsent = dropped.find((b) => b.stamp !== undefined);
        if (unsent && !this.bumpEpoch) queue.nextSequence = unsent.stamp!.baseSequence;
        for (const batch of dropped)
          batch.fail(new TransactionAbortedError(`${batch.topic}[${batch.partition}]`));
      }
      this.adding.clear();
      // An AddPartitionsToTxn on its way may open the transaction at the coordinator: let it
      // answer, so that EndTxn follows if it did.
      const added$ = defer(() => (this.addRequest ? this.addSettled$.pipe(take(1)) : of(undefined)));
      this.ending = added$.pipe(
        mergeMap(() => this.flush()),
        mergeMap(() => this.endTxn$(false)),
        mergeMap(() => (this.bumpEpoch ? this.bump$() : of(undefined))),
        tap({ next: () => this.finish(), finalize: () => (this.ending = undefined) }),
        share(),
      );
      return this.ending;
    });
  }

  override stop(): void {
    super.stop();
    this.addScheduled?.unsubscribe();
    this.addRequest?.unsubscribe();
  }

  private finish(): void {
    this.stateNow = 'ready';
    this.started = false;
    this.added.clear();
    this.failure = undefined;
  }

  private endTxn$(committed: boolean): Observable<void> {
    if (!this.started) return of(undefined);
    const transactionalId = this.transactionalId;
    return this.identity$().pipe(
      mergeMap((identity) =>
        this.request$({
          key: transactionalId,
          type: 'transaction',
          api: EndTxn,
          body: { transactionalId, ...identity, committed },
          what: `EndTxn (${committed ? 'commit' : 'abort'}) for "${transactionalId}"`,
          errorOf: (r) => r.errorCode,
        }),
      ),
      map((response) => {
        // EndTxn v5+ (KIP-890) bumps the epoch with every transaction.
        const producerId = response.producerId;
        const producerEpoch = response.producerEpoch;
        if (
          producerId !== undefined &&
          producerEpoch !== undefined &&
          BigInt(producerId) >= 0n &&
          producerEpoch >= 0
        ) {
          const next = { producerId: BigInt(producerId), producerEpoch };
          const now = this.current;
          if (!now || now.producerId !== next.producerId || now.producerEpoch !== next.producerEpoch)
            this.adopt(next);
        }
      }),
      catchError((error: unknown) => {
        if (FATAL.has((error as { code?: number }).code ?? 0)) this.failed(error);
        return throwError(() => this.fatalOr(error));
      }),
    );
  }

  /** InitProducerId with the current id and epoch: a new epoch, sequence numbers from 0. */
  private bump$(): Observable<void> {
    return defer(() => {
      const previous = this.current;
      this.current = undefined;
      this.bumpEpoch = false;
      this.init(previous);
      return this.identity$().pipe(map(() => undefined));
    });
  }

  private adopt(identity: ProducerIdentity): void {
    for (const queue of this.accumulator.partitions()) queue.nextSequence = 0;
    this.current = identity;
  }

  /** The identity, waiting for InitProducerId if needed. */
  private identity$(): Observable<ProducerIdentity> {
    return defer(() => {
      const now = this.identity();
      if (now) return of(now);
      if (!this.pending) throw this.initError ?? new TransactionStateError('the producer is closed');
      return this.changes$.pipe(
        take(1),
        map(() => {
          if (this.current) return this.current;
          throw this.initError ?? new TransactionStateError('the producer is closed');
        }),
      );
    });
  }

  private request$<A extends ApiSpec>(request: Omit<CoordinatorRequest<A>, 'retryBackoffMs' | 'maxBlockMs'>) {
    const { retryBackoffMs, maxBlockMs } = this.config;
    return coordinatorRequest$(this.cluster, { ...request, retryBackoffMs, maxBlockMs });
  }

  private scheduleAdd(): void {
    if (this.addScheduled || this.addRequest) return;
    // After the sender's round, so every partition it met goes in one request.
    this.addScheduled = this.cluster.clock.schedule(() => {
      this.addScheduled = undefined;
      this.addPartitions();
    });
  }

  private addPartitions(): void {
    const identity = this.current;
    const partitions = [...this.adding.values()];
    if (!identity || partitions.length === 0 || this.addRequest) return;
    const transactionalId = this.transactionalId;
    let done = false;
    const subscription = this.request$({
      key: transactionalId,
      type: 'transaction',
      api: AddPartitionsToTxnClient,
      body: addPartitionsBody(transactionalId, identity, partitions),
      what: `AddPartitionsToTxn for "${transactionalId}"`,
      errorOf: addPartitionsError,
    }).subscribe({
      next: () => {
        this.started = true;
        for (const p of partitions) {
          const key = partitionKey(p.topic, p.partition);
          this.adding.delete(key);
          this.added.add(key);
        }
      },
      error: (cause: unknown) => {
        // Fenced: the sends fail with the ProducerFencedError that the transaction calls give too.
        const error = this.fatalOr(cause);
        // The records waiting for these partitions cannot be part of the transaction.
        for (const p of partitions) {
          this.adding.delete(partitionKey(p.topic, p.partition));
          // Not stamped yet: the sender stamps a batch only once its partition is added.
          for (const batch of this.accumulator.queue(p.topic, p.partition).waiting.splice(0))
            batch.fail(error);
        }
        this.failed(error);
      },
    });
    subscription.add(() => {
      done = true;
      this.addRequest = undefined;
      this.addSettled$.next();
      if (this.adding.size > 0) this.scheduleAdd();
    });
    if (!done) this.addRequest = subscription;
  }

  /** Something in the transaction failed: fatal when fenced, otherwise the transaction must be aborted. */
  private failed(error: unknown): void {
    if (this.stateNow === 'fatal' || this.stateNow === 'aborting' || this.stateNow === 'ready') return;
    const code = (error as { code?: number }).code;
    if (code !== undefined && FATAL.has(code)) {
      this.stateNow = 'fatal';
      this.failure = this.fatalOr(error);
      return;
    }
    this.stateNow = 'abortable';
    this.failure ??= error;
  }

  private fatalOr(error: unknown): unknown {
    const code = (error as { code?: number }).code;
    if (code !== undefined && FENCED.has(code) && !(error instanceof ProducerFencedError))
      return new ProducerFencedError(this.transactionalId, code, error);
    return error;
  }

  private check(call: string, allowed: readonly TransactionState[]): void {
    if (allowed.includes(this.stateNow)) return;
    const why: Record<TransactionState, string> = {
      ready: 'no transaction is open (call beginTransaction first)',
      'in-transaction': 'a transaction is already open',
      committing: 'the transaction is being committed',
      aborting: 'the transaction is being aborted',
      abortable: 'something in the transaction failed; abort it',
      fatal: 'the producer cannot go on (it was fenced or hit a fatal error); close it',
    };
    throw new TransactionStateError(`${call}: ${why[this.stateNow]}`, this.failure);
  }
}

/** Fails every call: the producer has no `transactionalId`. */
export function notTransactional(call: string): TransactionStateError {
  return new TransactionStateError(
    `${call}: the producer has no transactionalId, so it cannot use transactions`,
  );
}
