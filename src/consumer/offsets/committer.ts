import {
  AsyncSubject,
  catchError,
  concatMap,
  defer,
  map,
  type Observable,
  of,
  Subject,
  type Subscription,
  switchMap,
} from 'rxjs';
import type { Cluster } from '../../cluster/cluster';
import { coordinatorMoved } from '../../cluster/errors';
import { retryWithBackoff } from '../../cluster/retry-with-backoff';
import { channels } from '../../diagnostics/channels';
import { payloads } from '../../diagnostics/payloads';
import { traced } from '../../diagnostics/traced';
import type { KafkaRxError } from '../../errors';
import { ErrorCode, protocolError } from '../../protocol/errors';
import type { ResponseOf } from '../../protocol/spec-types';
import { OffsetCommit } from '../../protocol/specs';
import { consumerBackoff } from '../backoff';
import type { ResolvedConsumerConfig } from '../config';
import { asKafkaRxError, ConsumerClosedError } from '../errors';
import { connectionLost } from '../group/connection-lost';
import { offsetCommitBody } from '../group/requests';
import type { MembershipState } from '../membership/state';
import type { CommitResult, CommitTrigger, TopicPartition, TopicPartitionOffset } from '../types';
import type { PartitionRegistry } from './partition-registry';

export interface CommitterContext {
  readonly cluster: Cluster;
  readonly config: ResolvedConsumerConfig;
  /** The hot `commits$` subject. */
  readonly commits: Subject<CommitResult>;
}

/** Whose offsets a commit sends: a group member's partitions and membership (generation, member id). */
export interface CommitSource {
  readonly registry: PartitionRegistry | null;
  membership(): MembershipState | null;
}

interface CommitJob {
  readonly source: CommitSource;
  readonly trigger: CommitTrigger;
  /** Offsets to commit; null: the consumed offsets of `partitions` (or of every owned partition), read when the job runs. */
  readonly offsets: readonly TopicPartitionOffset[] | null;
  readonly partitions: readonly TopicPartition[] | null;
  readonly result: AsyncSubject<CommitResult>;
}

/** What a commit still waiting when the consumer stops is answered with. */
const notCommitted = () => new ConsumerClosedError('the consumer closed before this commit completed');

/** Coordinator moves are retried this many times before a commit reports its error. */
const COORDINATOR_RETRIES = 2;

/**
 * Sends OffsetCommit requests one at a time, in the order asked (a concatMap over a queue):
 * auto-commits, manual commits, and commits on revoke and close. Every completed commit is
 * emitted on `commits$`; a failed one carries its error there and never errors the stream.
 */
export class Committer {
  private readonly queue = new Subject<CommitJob>();
  private readonly subscription: Subscription;
  /** Jobs queued or under way, so that stop() can answer them. */
  private readonly pending = new Set<CommitJob>();

  constructor(private readonly ctx: CommitterContext) {
    this.subscription = this.queue.pipe(concatMap((job) => this.execute(job))).subscribe();
  }

  /** Queues a commit; the Observable emits its result and completes once it is done. */
  commit$(
    trigger: CommitTrigger,
    offsets: readonly TopicPartitionOffset[] | null,
    partitions: readonly TopicPartition[] | null,
    source: CommitSource,
  ): Observable<CommitResult> {
    return defer(() => {
      const result = new AsyncSubject<CommitResult>();
      const job: CommitJob = { source, trigger, offsets, partitions, result };
      if (this.subscription.closed) this.answer(job, { offsets: [], error: notCommitted(), trigger });
      else {
        this.pending.add(job);
        this.queue.next(job);
      }
      return result;
    });
  }

  /** Stops at once: commits queued or under way are answered with a ConsumerClosedError. */
  stop(): void {
    this.subscription.unsubscribe();
    for (const job of this.pending)
      this.answer(job, { offsets: [], error: notCommitted(), trigger: job.trigger });
  }

  private answer(job: CommitJob, result: CommitResult): void {
    this.pending.delete(job);
    job.result.next(result);
    job.result.complete();
  }

  private execute(job: CommitJob): Observable<CommitResult> {
    const { clientId, groupId } = this.ctx.config;
    return defer(() => {
      const registry = job.source.registry;
      const offsets = job.offsets ?? registry?.consumedOffsets(job.partitions ?? undefined) ?? [];
      if (offsets.length === 0) return of<CommitResult>({ offsets: [], trigger: job.trigger });
      return this.send(offsets, job.source, job.source.membership()).pipe(
        map((error): CommitResult => {
          if (!error) {
            for (const o of offsets) {
              const state = registry?.get(o);
              if (state) state.committed = o.offset;
            }
          }
          const result: CommitResult = error
            ? { offsets, error, trigger: job.trigger }
            : { offsets, trigger: job.trigger };
          this.ctx.commits.next(result);
          return result;
        }),
      );
    }).pipe(
      catchError((error: unknown) =>
        of<CommitResult>({ offsets: [], error: asKafkaRxError(error), trigger: job.trigger }),
      ),
      traced(
        channels.commit,
        () => payloads.commit(clientId, groupId, job.trigger, job.offsets),
        (trace, result) => {
          trace.result = result;
          trace.error = result?.error;
        },
      ),
      map((result) => {
        this.answer(job, result);
        return result;
      }),
    );
  }

  /** Emits the first error (or undefined), after retrying coordinator moves, lost connections and stale epochs. */
  private send(
    offsets: readonly TopicPartitionOffset[],
    source: CommitSource,
    membership: MembershipState | null,
  ): Observable<KafkaRxError | undefined> {
    const { cluster, config } = this.ctx;
    let current = membership;
    let staleEpoch = false;
    return defer(() => {
      // Read when the retry is sent, after the backoff, by which time the heartbeat has the new epoch.
      if (staleEpoch) current = source.membership();
      staleEpoch = false;
      // Generation and member id of the current generation; outside one, a commit as a standalone consumer.
      const m = current;
      const inGeneration =
        m !== null && (m.phase === 'stable' || m.phase === 'rebalancing') && m.generationId >= 0;
      const generationId = inGeneration ? m.generationId : -1;
      const memberId = inGeneration ? m.memberId : '';
      return cluster.coordinator(config.groupId).pipe(
        switchMap((broker) =>
          cluster.request(broker, OffsetCommit, offsetCommitBody(config, generationId, memberId, offsets)),
        ),
        map((response) => firstError(response)),
        catchError((error: unknown) => of(asKafkaRxError(error))),
      );
    }).pipe(
      map((error) => {
        if (error === undefined) return error;
        const moved = coordinatorMoved(error.code) || connectionLost(error);
        if (moved) cluster.coordinatorDead(config.groupId);
        // Consumer group protocol: the member epoch moved on while the commit was under way (a
        // heartbeat answer bumped it); send again with the epoch of now, as the Java client does.
        staleEpoch = error.code === ErrorCode.STALE_MEMBER_EPOCH;
        if (moved || staleEpoch || (error.code === undefined && error.retriable)) throw error;
        return error;
      }),
      retryWithBackoff({
        clock: cluster.clock,
        backoff: consumerBackoff(config),
        retries: COORDINATOR_RETRIES,
        shouldRetry: () => true,
      }),
      // Out of retries: the last error is the commit's result.
      catchError((error: unknown) => of(asKafkaRxError(error))),
    );
  }
}

function firstError(response: ResponseOf<typeof OffsetCommit>): KafkaRxError | undefined {
  for (const t of response.topics ?? []) {
    for (const p of t.partitions) {
      if (p.errorCode !== 0) return protocolError(p.errorCode);
    }
  }
  return undefined;
}
