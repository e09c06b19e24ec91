import type { Observable } from 'rxjs';
import type { Clock } from '../time/clock';
import type { ApiSpec } from '../protocol/spec';
import type { ResponseOf } from '../protocol/spec-types';
import type { BrokerAddress, RequestBody, RequestOptions, Transport } from '../transport/transport';

export interface PartitionMetadata {
  readonly partition: number;
  /** Node id of the leader; -1 while there is none. */
  readonly leader: number;
  readonly leaderEpoch: number;
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
  /** Kafka error code for this partition (0 = none). */
  readonly errorCode: number;
}

export interface TopicMetadata {
  readonly name: string;
  readonly topicId?: string;
  readonly errorCode: number;
  readonly partitions: readonly PartitionMetadata[];
}

export interface ClusterMetadata {
  readonly clusterId: string | null;
  readonly controllerId: number;
  readonly brokers: ReadonlyMap<number, BrokerAddress>;
  readonly topics: ReadonlyMap<string, TopicMetadata>;
}

export type CoordinatorType = 'group' | 'transaction';

/**
 * The client's view of a Kafka cluster: metadata (cached, refreshed on a timer and on errors
 * that invalidate it), routing to partition leaders and coordinators, and retries with backoff,
 * all on the injected clock. Consumer and producer talk to brokers only through it. Its
 * `request` (to a given broker) is the transport's, watched for answers that make metadata stale.
 */
export interface Cluster extends Pick<Transport, 'request'> {
  readonly clock: Clock;
  readonly transport: Transport;
  /** Metadata for these topics (or all topics matching the pattern), from the cache when fresh. */
  metadata(topics?: readonly string[] | RegExp): Observable<ClusterMetadata>;
  /** Forces a Metadata request now. */
  refreshMetadata(topics?: readonly string[] | RegExp): Observable<ClusterMetadata>;
  /** The leader of a partition, refreshing metadata while it is unknown. */
  leaderFor(topic: string, partition: number): Observable<BrokerAddress>;
  /** The coordinator for a group (or transactional id), found with FindCoordinator and cached. */
  coordinator(key: string, type?: CoordinatorType): Observable<BrokerAddress>;
  /** Forgets a cached coordinator (after NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE or a session timeout). */
  coordinatorDead(key: string, type?: CoordinatorType): void;
  /** Sends a request to any live broker (bootstrap or known), for cluster-wide questions. */
  requestAny<A extends ApiSpec>(
    api: A,
    body: NoInfer<RequestBody<A>>,
    options?: RequestOptions,
  ): Observable<ResponseOf<A>>;
  close(): Promise<void>;
}

/** A cluster that can also follow metadata over time. */
export interface WatchableCluster extends Cluster {
  /**
   * Metadata for these topics (or all topics matching the pattern, checked again at each refresh):
   * fetched on subscription, then again every `metadataMaxAgeMs` on the clock, and whenever another
   * refresh brings news, for as long as it is subscribed to. A failed first fetch errors; a later
   * failed refresh is skipped (the next one retries).
   */
  watchMetadata(topics?: readonly string[] | RegExp): Observable<ClusterMetadata>;
}
