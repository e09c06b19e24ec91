import { defer, finalize, map, type Observable, of, type Subscription, take, tap } from 'rxjs';
import type { Cluster, ClusterMetadata, TopicMetadata } from '../cluster/cluster';
import { bootstrapError, noBrokerAvailableError } from '../cluster/errors';
import { retryWithBackoff } from '../cluster/retry-with-backoff';
import { KafkaRxError } from '../errors';
import { now } from '../time/clock';
import { ErrorCode, KafkaProtocolError } from '../protocol/errors';
import type { BrokerAddress, InstrumentedTransport } from '../transport/transport';
import { brokerError } from './errors';
import { producerBackoff } from './producer-backoff';

/** Topic errors that may clear up by themselves (a topic being created, a leader election). */
function waitable(code: number): boolean {
  return code === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION || code === ErrorCode.LEADER_NOT_AVAILABLE;
}

/** Whether a wait for metadata goes on after this error: a topic error that may clear up, or a retriable one. */
function transient(error: unknown): boolean {
  const { code, retriable } = error as { code?: number; retriable?: boolean };
  return (code !== undefined && waitable(code)) || retriable === true;
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
  /** The last reason topics could not be found or brokers reached. */
  private lastError: unknown;
  private connections: Subscription | undefined;

  constructor(
    private readonly cluster: Cluster,
    private readonly options: { retryBackoffMs: number },
  ) {
    this.watchConnections();
  }

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
   * `retryBackoffMs`) for as long as it is subscribed to while the topics are missing for a reason
   * that may clear up (a topic being created, no broker answering); errors at once on others
   * (e.g. TOPIC_AUTHORIZATION_FAILED). The caller bounds the wait (`maxBlockMs`, see `SendQueue`).
   */
  ensure(names: readonly string[]): Observable<void> {
    const missing = this.missing(names);
    if (missing.length === 0) return of(undefined);
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
      tap({
        error: (error: unknown) => {
          if (transient(error)) this.lastError = error;
        },
      }),
      retryWithBackoff({
        clock: this.cluster.clock,
        backoff: producerBackoff(this.options.retryBackoffMs),
        shouldRetry: transient,
      }),
    );
  }

  /** The topics among `names` whose partitions are not known yet. */
  missing(names: readonly string[]): string[] {
    return names.filter((n) => !this.known(n));
  }

  /**
   * Why `names` are still missing after `maxBlockMs`: the last error met while waiting for them
   * (a topic error, or a broker that could not be reached), under its own name, saying so.
   */
  blockedError(names: readonly string[], maxBlockMs: number): KafkaRxError {
    const what = `no metadata for ${names.map((n) => `"${n}"`).join(', ')} within maxBlockMs (${maxBlockMs} ms)`;
    const cause = this.lastError;
    if (cause instanceof KafkaProtocolError && cause.code !== undefined && names.length === 1)
      return brokerError(cause.code, `topic "${names[0]}"`, `(${what})`);
    if (cause instanceof Error) {
      const { code, retriable } = cause as Partial<KafkaRxError>;
      return new KafkaRxError(cause.name, `${cause.message} (${what})`, { code, retriable, cause });
    }
    return new KafkaRxError('TimeoutError', `${what}: no broker answered`, { retriable: true });
  }

  /** Remembers why brokers could not be reached, to name it when a send gives up. */
  private watchConnections(): void {
    const events$ = (this.cluster.transport as Partial<InstrumentedTransport> | undefined)?.events$;
    this.connections = events$?.subscribe((event) => {
      if (event.type === 'connect-error') {
        const failure = [{ broker: event.broker, error: event.error }];
        this.lastError = this.brokers.size === 0 ? bootstrapError(failure) : noBrokerAvailableError(failure);
      } else if (event.type === 'request' && event.error) {
        this.lastError = event.error;
      }
    });
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
    const wait = this.lastRefreshAt + this.options.retryBackoffMs - now(clock);
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
    this.lastRefreshAt = now(this.cluster.clock);
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
    this.connections?.unsubscribe();
    this.scheduled?.unsubscribe();
    this.scheduled = undefined;
    this.waiters.clear();
  }

  update(md: ClusterMetadata): void {
    this.lastError = undefined;
    for (const [id, broker] of md.brokers) this.brokers.set(id, broker);
    for (const [name, topic] of md.topics) {
      if (topic.errorCode === 0 && topic.partitions.length > 0) this.topics.set(name, topic);
    }
  }

  private known(name: string): boolean {
    return (this.topics.get(name)?.partitions.length ?? 0) > 0;
  }
}
