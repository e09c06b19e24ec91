import {
  catchError,
  defer,
  EMPTY,
  exhaustMap,
  finalize,
  ignoreElements,
  map,
  merge,
  of,
  share,
  Subject,
  tap,
  throwError,
  timeout,
  timer,
  type Observable,
} from 'rxjs';
import { checkOptionNames, integerOption, type OptionNames } from '../config';
import { ConfigError } from '../config/config-error';
import { KafkaRxError } from '../errors';
import { protocolError } from '../protocol/errors';
import type { ApiSpec } from '../protocol/spec';
import type { ResponseOf } from '../protocol/spec-types';
import { FindCoordinator, Metadata } from '../protocol/specs';
import { defaultClock, now, type Clock } from '../time/clock';
import type { BrokerAddress, RequestBody, RequestOptions, Transport } from '../transport/transport';
import { brokerKey, parseBrokerAddress } from './broker-list';
import type { ClusterMetadata, CoordinatorType, WatchableCluster } from './cluster';
import {
  bootstrapError,
  bootstrapTimeoutError,
  ClusterClosedError,
  leaderNotAvailableError,
  noBrokerAvailableError,
  unknownPartitionError,
  type BrokerFailure,
} from './errors';
import { coordinatorFromResponse, findCoordinatorRequest } from './find-coordinator';
import { hasInvalidMetadataError } from './invalid-metadata';
import { mergeMetadata, metadataRequest, selectTopics, toClusterMetadata } from './metadata-response';
import { isRetriable, retryWithBackoff } from './retry-with-backoff';

/** Kafka's clients spread retries by ±20 % so that clients that failed together do not retry in lockstep. */
const RETRY_JITTER = 0.2;

export interface ClusterOptions {
  /** Bootstrap addresses, `host:port`. */
  readonly brokers: readonly string[];
  readonly transport: Transport;
  readonly clock?: Clock;
  /** Cached metadata older than this is fetched again. Default 300000 (Kafka's metadata.max.age.ms). */
  readonly metadataMaxAgeMs?: number;
  /** Wait before the first retry; doubles per retry. Default 100. */
  readonly retryBackoffMs?: number;
  /** Upper bound of the retry wait. Default 1000. */
  readonly retryBackoffMaxMs?: number;
  /** Retries of a retriable failure (lookups, requests to any broker). Default 5. */
  readonly retries?: number;
  /** Ask brokers to create unknown topics named in Metadata requests. Default false. */
  readonly allowAutoTopicCreation?: boolean;
  /**
   * How long a cluster that has never answered is tried before its `BootstrapError` becomes
   * final (a wrong address is a configuration error, not an outage). Once any broker has
   * answered, failures are retried with backoff for as long as the client runs. Default 10000.
   */
  readonly bootstrapTimeoutMs?: number;
  /** For the retry jitter, so tests can fix it; `Math.random` by default. */
  readonly random?: () => number;
}

const clusterOptions: OptionNames<ClusterOptions> = {
  brokers: true,
  transport: true,
  clock: true,
  metadataMaxAgeMs: true,
  retryBackoffMs: true,
  retryBackoffMaxMs: true,
  retries: true,
  allowAutoTopicCreation: true,
  bootstrapTimeoutMs: true,
  random: true,
};

/** A Metadata request that has not answered yet; `topics` null when it asks for all topics. */
interface MetadataFetch {
  readonly topics: ReadonlySet<string> | null;
  readonly result$: Observable<ClusterMetadata>;
}

/**
 * The client's view of a cluster (see `Cluster`): bootstraps from the given addresses, caches
 * metadata, routes to partition leaders and coordinators, and retries retriable failures with
 * exponential backoff on the clock.
 *
 * @example
 * const cluster = createCluster({ brokers: ['127.0.0.1:9092'], transport: createTcpTransport() });
 * cluster.leaderFor('orders', 0).subscribe((leader) => console.log(leader.host, leader.port));
 */
export function createCluster(options: ClusterOptions): WatchableCluster {
  checkOptionNames('createCluster', options, clusterOptions);
  const clock = options.clock ?? defaultClock;
  const { transport } = options;
  const metadataMaxAgeMs = integerOption('metadataMaxAgeMs', options.metadataMaxAgeMs, 300000, 1);
  const allowAutoTopicCreation = options.allowAutoTopicCreation ?? false;
  const bootstrapTimeoutMs = integerOption('bootstrapTimeoutMs', options.bootstrapTimeoutMs, 10000, 0);
  const retry = {
    clock,
    retries: integerOption('retries', options.retries, 5, 0),
    backoff: {
      initial: integerOption('retryBackoffMs', options.retryBackoffMs, 100, 0),
      max: integerOption('retryBackoffMaxMs', options.retryBackoffMaxMs, 1000, 0),
      jitter: RETRY_JITTER,
    },
    random: options.random,
    // A cluster never reached gives up at its bootstrap deadline, not a backoff after it.
    waitsEndBy: () =>
      reached || firstAttemptAt === undefined ? Infinity : firstAttemptAt + bootstrapTimeoutMs,
  };
  if (!Array.isArray(options.brokers) || options.brokers.length === 0)
    throw new ConfigError('brokers: give at least one bootstrap broker as "host:port"');
  const bootstrap = options.brokers.map(parseBrokerAddress);
  /** Whether any broker ever answered, and when the first request was sent (for bootstrapTimeoutMs). */
  let reached = false;
  let firstAttemptAt: number | undefined;
  /** The failures of the last bootstrap round, to name them when the deadline ends a later one. */
  let lastFailures: readonly BrokerFailure[] = [];

  let cache: ClusterMetadata | undefined;
  /** When the cache was last filled, and last filled with all topics. */
  let fetchedAt = -Infinity;
  let allFetchedAt = -Infinity;
  /** Set by errors that invalidate metadata: the next read refreshes. */
  let stale = false;
  /** Topics asked for so far: every refresh keeps them all current. */
  const interest = new Set<string>();
  const fetches = new Set<MetadataFetch>();
  const updates = new Subject<ClusterMetadata>();
  const coordinators = new Map<string, BrokerAddress>();
  const lookups = new Map<string, Observable<BrokerAddress>>();
  let nextCandidate = 0;
  let closed = false;

  const isFresh = (at: number): boolean => !stale && now(clock) - at < metadataMaxAgeMs;

  /** Known brokers (rotating, to spread the load), then the bootstrap addresses. */
  function candidates(): BrokerAddress[] {
    const known = cache ? [...cache.brokers.values()] : [];
    const start = known.length > 0 ? nextCandidate++ % known.length : 0;
    const ordered = [...known.slice(start), ...known.slice(0, start)];
    const keys = new Set(ordered.map(brokerKey));
    return [...ordered, ...bootstrap.filter((b) => !keys.has(brokerKey(b)))];
  }

  /** Tries each candidate once; a retriable failure moves on to the next. */
  function sendAny<A extends ApiSpec>(
    api: A,
    body: RequestBody<A>,
    requestOptions?: RequestOptions,
  ): Observable<ResponseOf<A>> {
    return defer(() => {
      if (closed) return throwError(() => new ClusterClosedError());
      const list = candidates();
      const failures: BrokerFailure[] = [];
      const bootstrapping = !reached;
      if (bootstrapping) firstAttemptAt ??= now(clock);
      const remaining = () => firstAttemptAt! + bootstrapTimeoutMs - now(clock);
      const attempt = (i: number): Observable<ResponseOf<A>> => {
        if (i >= list.length) {
          if (!reached) lastFailures = failures;
          return throwError(() =>
            cache !== undefined
              ? noBrokerAvailableError(failures)
              : !reached && remaining() <= 0
                ? bootstrapTimeoutError(bootstrapTimeoutMs, failures, bootstrap)
                : bootstrapError(failures),
          );
        }
        return transport.request(list[i], api, body, requestOptions).pipe(
          tap(() => (reached = true)),
          catchError((error: unknown) => {
            if (!isRetriable(error)) return throwError(() => error);
            failures.push({ broker: list[i], error });
            stale = true;
            return attempt(i + 1);
          }),
        );
      };
      if (!bootstrapping) return attempt(0);
      // A connection attempt still hanging at the deadline (a host that drops packets) ends there.
      return attempt(0).pipe(
        timeout({
          first: Math.max(0, remaining()),
          scheduler: clock,
          with: () =>
            throwError(() =>
              bootstrapTimeoutError(
                bootstrapTimeoutMs,
                failures.length > 0 ? failures : lastFailures,
                bootstrap,
              ),
            ),
        }),
      );
    });
  }

  function fetchMetadata(topics: ReadonlySet<string> | null): Observable<ClusterMetadata> {
    return sendAny(
      Metadata,
      metadataRequest(topics === null ? null : [...topics], allowAutoTopicCreation),
    ).pipe(
      map((body) => {
        const fresh = toClusterMetadata(body);
        cache = mergeMetadata(cache, fresh, topics === null);
        fetchedAt = now(clock);
        if (topics === null) allFetchedAt = fetchedAt;
        stale = false;
        updates.next(cache);
        return cache;
      }),
    );
  }

  /** Joins a Metadata request under way that covers these topics, or starts one for all of interest. */
  function refresh(topics: readonly string[] | RegExp | undefined): Observable<ClusterMetadata> {
    return defer(() => {
      const all = topics === undefined || topics instanceof RegExp;
      if (!all) for (const name of topics) interest.add(name);
      for (const fetch of fetches) {
        if (fetch.topics === null || (!all && topics.every((t) => fetch.topics!.has(t))))
          return fetch.result$;
      }
      const wanted = all ? null : new Set(interest);
      const fetch: MetadataFetch = {
        topics: wanted,
        result$: defer(() => fetchMetadata(wanted)).pipe(
          retryWithBackoff(retry),
          // Once it has answered it takes no more joiners: one that joined between its answer and its
          // completion (asked from inside the answer) would get the completion alone.
          tap(() => fetches.delete(fetch)),
          finalize(() => fetches.delete(fetch)),
          share(),
        ),
      };
      fetches.add(fetch);
      return fetch.result$;
    }).pipe(map((metadata) => selectTopics(metadata, topics)));
  }

  function cached(topics: readonly string[] | RegExp | undefined): ClusterMetadata | undefined {
    if (cache === undefined) return undefined;
    if (topics === undefined || topics instanceof RegExp) {
      return isFresh(allFetchedAt) ? selectTopics(cache, topics) : undefined;
    }
    if (!isFresh(fetchedAt)) return undefined;
    const known = topics.every((name) => cache!.topics.get(name)?.errorCode === 0);
    return known ? selectTopics(cache, topics) : undefined;
  }

  function metadata(topics?: readonly string[] | RegExp): Observable<ClusterMetadata> {
    return defer(() => {
      const hit = cached(topics);
      return hit ? of(hit) : refresh(topics);
    });
  }

  function topicError(topic: string, code: number): KafkaRxError {
    const error = protocolError(code)!;
    return new KafkaRxError(error.name, `${topic}: ${error.message}`, { code, retriable: error.retriable });
  }

  function leaderFor(topic: string, partition: number): Observable<BrokerAddress> {
    let attempts = 0;
    return defer(() => (attempts++ === 0 ? metadata([topic]) : refresh([topic]))).pipe(
      map((md) => {
        const found = md.topics.get(topic);
        if (found === undefined) throw topicError(topic, 3);
        if (found.errorCode !== 0) throw topicError(topic, found.errorCode);
        const p = found.partitions.find((candidate) => candidate.partition === partition);
        if (p === undefined) throw unknownPartitionError(topic, partition, found.partitions.length);
        const leader = p.leader >= 0 ? md.brokers.get(p.leader) : undefined;
        if (leader === undefined) throw leaderNotAvailableError(topic, partition);
        return leader;
      }),
      retryWithBackoff(retry),
    );
  }

  function coordinator(key: string, type: CoordinatorType = 'group'): Observable<BrokerAddress> {
    const id = `${type}:${key}`;
    return defer(() => {
      const known = coordinators.get(id);
      if (known) return of(known);
      const pending = lookups.get(id);
      if (pending) return pending;
      const lookup$: Observable<BrokerAddress> = defer(() => {
        let version = 0;
        return sendAny(FindCoordinator, (v) => {
          version = v;
          return findCoordinatorRequest(v, key, type);
        }).pipe(map((body) => coordinatorFromResponse(version, key, body)));
      }).pipe(
        retryWithBackoff(retry),
        tap((broker) => coordinators.set(id, broker)),
        finalize(() => {
          if (lookups.get(id) === lookup$) lookups.delete(id);
        }),
        share(),
      );
      lookups.set(id, lookup$);
      return lookup$;
    });
  }

  function request<A extends ApiSpec>(
    broker: BrokerAddress,
    api: A,
    body: RequestBody<A>,
    requestOptions?: RequestOptions,
  ): Observable<ResponseOf<A>> {
    return transport.request(broker, api, body, requestOptions).pipe(
      tap({
        next: (response) => {
          reached = true;
          if (hasInvalidMetadataError(response)) stale = true;
        },
        error: (error: unknown) => {
          // A broker that cannot be reached may have left the cluster.
          if (error instanceof KafkaRxError && error.name === 'ConnectionError') stale = true;
        },
      }),
    );
  }

  function watchMetadata(topics?: readonly string[] | RegExp): Observable<ClusterMetadata> {
    // Every refresh, whoever started it, reaches watchers through `updates`; the timer only starts them.
    const refreshes$ = timer(0, metadataMaxAgeMs, clock).pipe(
      exhaustMap((_, tick) => {
        const fetched = refresh(topics).pipe(ignoreElements());
        // Only the first fetch may fail the watch; later ones retry at the next tick.
        return tick === 0 ? fetched : fetched.pipe(catchError(() => EMPTY));
      }),
    );
    return merge(updates.pipe(map((metadata) => selectTopics(metadata, topics))), refreshes$);
  }

  return {
    clock,
    transport,
    metadata,
    refreshMetadata: refresh,
    leaderFor,
    coordinator,
    coordinatorDead(key: string, type: CoordinatorType = 'group') {
      coordinators.delete(`${type}:${key}`);
    },
    request,
    requestAny: (api, body, requestOptions) =>
      sendAny(api, body, requestOptions).pipe(retryWithBackoff(retry)),
    watchMetadata,
    async close() {
      if (closed) return;
      closed = true;
      updates.complete();
      await transport.close();
    },
  };
}
