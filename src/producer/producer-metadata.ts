import { defer, type Observable, of, type Subscription, throwError, timer } from 'rxjs';
import { finalize, map, retry, take } from 'rxjs/operators';
import type { Cluster, ClusterMetadata, TopicMetadata } from '../cluster/cluster';
import { ErrorCode } from '../protocol/errors';
import type { BrokerAddress } from '../transport/transport';
import { brokerError } from './errors';

/** Topic errors that may clear up by themselves (a topic being created, a leader election). */
function waitable(code: number): boolean {
  return code === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION || code === ErrorCode.LEADER_NOT_AVAILABLE;
}

/**
 * The producer's view of the topics it writes to: partitions and leaders, from the cluster's
 * metadata, kept in a synchronous form so batches can be routed without waiting.
 */
export class ProducerMetadata {
  private readonly topics = new Map<string, TopicMetadata>();
  private readonly brokers = new Map<number, BrokerAddress>();
  private refreshing = false;
  private scheduled: Subscription | undefined;
  private lastRefreshAt = -Infinity;
  /** Callers of `refresh` waiting for the answer under way or scheduled. */
  private readonly waiters = new Set<() => void>();

  constructor(
    private readonly cluster: Cluster,
    private readonly options: { retryBackoffMs: number; maxBlockMs: number },
  ) {}

  /** The partitions of a topic already known, or `undefined`. */
  topic(name: string): TopicMetadata | undefined {
    return this.topics.get(name);
  }

  /** The leader of a partition, or `undefined` while there is none or it is unknown. */
  leaderOf(topic: string, partition: number): BrokerAddress | undefined {
    const p = this.topics.get(topic)?.partitions.find((x) => x.partition === partition);
    if (!p || p.leader < 0) return undefined;
    const broker = this.brokers.get(p.leader);
    return broker && { ...broker, nodeId: p.leader };
  }

  /**
   * Emits once every topic is known with at least one partition. Waits (refreshing every
   * `retryBackoffMs`) up to `maxBlockMs` for topics that do not exist yet, then errors with the
   * last topic error, e.g. UNKNOWN_TOPIC_OR_PARTITION.
   */
  ensure(names: readonly string[]): Observable<void> {
    const missing = names.filter((n) => !this.known(n));
    if (missing.length === 0) return of(undefined);
    const { retryBackoffMs, maxBlockMs } = this.options;
    const clock = this.cluster.clock;
    const deadline = clock.now() + maxBlockMs;
    let first = true;
    return defer(() => {
      const md$ = first ? this.cluster.metadata(missing) : this.cluster.refreshMetadata(missing);
      first = false;
      return md$.pipe(take(1));
    }).pipe(
      map((md) => {
        this.update(md);
        for (const name of missing) {
          if (this.known(name)) continue;
          const code = md.topics.get(name)?.errorCode || ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
          throw brokerError(code, `topic "${name}"`);
        }
      }),
      retry({
        delay: (error: { code?: number; retriable?: boolean }) => {
          const transient =
            error.code === undefined ? error.retriable : waitable(error.code) || error.retriable;
          if (!transient || clock.now() + retryBackoffMs > deadline) return throwError(() => error);
          return timer(retryBackoffMs, clock);
        },
      }),
    );
  }

  /**
   * Asks for fresh metadata of every known topic (after an error that invalidates it): one
   * request at a time, at most one per `retryBackoffMs`; `onDone` runs when it has been answered
   * (a call while one is under way or scheduled waits for that one).
   */
  refresh(onDone: () => void): void {
    this.waiters.add(onDone);
    if (this.refreshing || this.scheduled) return;
    const clock = this.cluster.clock;
    const wait = this.lastRefreshAt + this.options.retryBackoffMs - clock.now();
    if (wait > 0) {
      this.scheduled = clock.schedule(() => {
        this.scheduled = undefined;
        this.request();
      }, wait);
      return;
    }
    this.request();
  }

  private request(): void {
    this.refreshing = true;
    this.lastRefreshAt = this.cluster.clock.now();
    this.cluster
      .refreshMetadata([...this.topics.keys()])
      .pipe(
        finalize(() => {
          this.refreshing = false;
          const waiters = [...this.waiters];
          this.waiters.clear();
          for (const done of waiters) done();
        }),
      )
      .subscribe({ next: (md) => this.update(md), error: () => undefined });
  }

  /** Stops a scheduled refresh (on close). */
  stop(): void {
    this.scheduled?.unsubscribe();
    this.scheduled = undefined;
    this.waiters.clear();
  }

  update(md: ClusterMetadata): void {
    for (const [id, broker] of md.brokers) this.brokers.set(id, broker);
    for (const [name, topic] of md.topics) {
      if (topic.errorCode === 0 && topic.partitions.length > 0) this.topics.set(name, topic);
    }
  }

  private known(name: string): boolean {
    return (this.topics.get(name)?.partitions.length ?? 0) > 0;
  }
}
