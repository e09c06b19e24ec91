import { type Observable, Subject, type Subscription } from 'rxjs';
import type { Cluster } from '../cluster/cluster';
import { initProducerId } from './init-producer-id';
import type { ProducerBatch, ProducerIdentity } from './producer-batch';
import type { ResolvedProducerConfig } from './producer-config';
import type { RecordAccumulator } from './record-accumulator';
import type { SenderGuard } from './sender';

/**
 * The idempotent producer's identity (Kafka's TransactionManager without transactions): gets a
 * producer id with InitProducerId before the first batch goes, and a new one whenever a batch
 * fails for good after taking sequence numbers (the gap it leaves would make every later batch
 * of that partition OUT_OF_ORDER_SEQUENCE_NUMBER). Batches stamped with the old id are stamped
 * again before they are retried.
 */
export class IdempotenceGuard implements SenderGuard {
  protected current: ProducerIdentity | undefined;
  /** An InitProducerId under way. */
  protected pending: Subscription | undefined;
  /** Emits when InitProducerId has answered or failed: the sender goes on, callers waiting for an identity look. */
  readonly changes$ = new Subject<void>();
  /** Why the last InitProducerId failed, until the next one starts. */
  protected initError: unknown;

  constructor(
    protected readonly config: ResolvedProducerConfig,
    protected readonly cluster: Cluster,
    protected readonly accumulator: RecordAccumulator,
  ) {}

  get wake$(): Observable<void> {
    return this.changes$;
  }

  identity(): ProducerIdentity | undefined {
    if (!this.current) this.init();
    return this.current;
  }

  mayWrite(_topic: string, _partition: number): boolean {
    return true;
  }

  sequenceBroken(_batch: ProducerBatch, _error: unknown): void {
    this.reset();
  }

  /** Drops the identity: the next batch waits for a fresh InitProducerId, with sequences from 0. */
  reset(): void {
    this.current = undefined;
  }

  /** Cancels an InitProducerId in progress (on close). */
  stop(): void {
    this.pending?.unsubscribe();
    this.pending = undefined;
  }

  protected init(previous?: ProducerIdentity): void {
    if (this.pending) return;
    this.initError = undefined;
    const { transactionalId, transactionTimeoutMs, retryBackoffMs, maxBlockMs } = this.config;
    let done = false;
    const subscription = initProducerId(this.cluster, {
      transactionalId,
      transactionTimeoutMs,
      retryBackoffMs,
      maxBlockMs,
      current: previous,
    }).subscribe({
      next: (identity) => {
        for (const queue of this.accumulator.partitions()) queue.nextSequence = 0;
        this.current = identity;
      },
      error: (error: unknown) => {
        this.initError = error;
        // Nothing can be sent without an id: fail what waits; the next send tries again.
        for (const queue of this.accumulator.partitions()) {
          for (const batch of queue.waiting.splice(0)) batch.fail(error);
        }
      },
      complete: () => undefined,
    });
    subscription.add(() => {
      done = true;
      this.pending = undefined;
      this.changes$.next();
    });
    if (!done) this.pending = subscription;
  }
}
