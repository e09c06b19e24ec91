import type { Observable } from 'rxjs';
import type { ApiSpec } from '../../protocol/spec';
import type { ReceivedRequestOf, ResponseBodyOf } from '../../protocol/spec-types';
import type { ClusterState, Listener } from '../broker-state/cluster-state';

/** A decoded request as one fake broker received it. */
export interface BrokerRequest<A extends ApiSpec = ApiSpec> {
  /** The broker that received it. */
  readonly nodeId: number;
  readonly listener: Listener;
  readonly version: number;
  readonly clientId: string | null;
  /** Where the client connects from, as Kafka reports it (`/127.0.0.1`). */
  readonly clientHost: string;
  readonly body: ReceivedRequestOf<A>;
}

/**
 * The broker side of one API key. `handle` answers with a response body (once, then
 * completes), later for requests that wait (Fetch, JoinGroup, SyncGroup), `undefined` for a
 * request that gets no response (Produce with acks=0), or never (a lost heartbeat).
 */
export interface ApiHandler<A extends ApiSpec = ApiSpec> {
  readonly api: A;
  handle(request: BrokerRequest<A>, cluster: ClusterState): Observable<ResponseBodyOf<A> | undefined>;
  /** The response a broker gives when it fails this request with `errorCode` (faults.pushError). */
  errorResponse(request: BrokerRequest<A>, errorCode: number): ResponseBodyOf<A> | undefined;
}
