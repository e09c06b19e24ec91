import type { Observable } from 'rxjs';
import type { ApiSpec, Message } from '../../protocol/spec';
import type { ClusterState, Listener } from '../broker-state/cluster-state';

/** A decoded request as one fake broker received it. */
export interface BrokerRequest {
  /** The broker that received it. */
  readonly nodeId: number;
  readonly listener: Listener;
  readonly version: number;
  readonly clientId: string | null;
  /** Where the client connects from, as Kafka reports it (`/127.0.0.1`). */
  readonly clientHost: string;
  readonly body: Message;
}

/**
 * The broker side of one API key. `handle` answers with a response body (once, then
 * completes), later for requests that wait (Fetch, JoinGroup, SyncGroup), `undefined` for a
 * request that gets no response (Produce with acks=0), or never (a lost heartbeat).
 */
export interface ApiHandler {
  readonly api: ApiSpec;
  handle(request: BrokerRequest, cluster: ClusterState): Observable<Message | undefined>;
  /** The response a broker gives when it fails this request with `errorCode` (faults.pushError). */
  errorResponse(request: BrokerRequest, errorCode: number): Message | undefined;
}
