import type { Observable } from 'rxjs';
import type { ApiSpec } from '../protocol/spec';
import type { RequestOf, ResponseOf } from '../protocol/spec-types';

/** Where a broker listens. `nodeId` is known once metadata has named it (-1 for a bootstrap address). */
export interface BrokerAddress {
  readonly host: string;
  readonly port: number;
  readonly nodeId?: number;
}

export interface RequestOptions {
  /** Overrides the transport's request timeout for this request (milliseconds on the clock). */
  readonly timeoutMs?: number;
  /** Produce with acks=0: the broker sends no response; the Observable emits `undefined` once written. */
  readonly expectResponse?: boolean;
  /** Force a version (it must lie in both sides' ranges); by default the highest common version. */
  readonly version?: number;
}

/**
 * A request body, or a function of the negotiated version that makes one (for requests whose
 * shape depends on the version, such as OffsetCommit's retention time or Fetch sessions).
 */
export type RequestBody<A extends ApiSpec = ApiSpec> = RequestOf<A> | ((version: number) => RequestOf<A>);

/**
 * Sends Kafka requests to brokers. `request` is cold: nothing is sent until it is subscribed to.
 * It emits the decoded response body once and completes, or errors with a `KafkaRxError`.
 * Unsubscribing before the response arrives drops the response without breaking the connection.
 * Error codes inside a response body are not turned into errors here: that is the caller's business.
 */
export interface Transport {
  request<A extends ApiSpec>(
    broker: BrokerAddress,
    api: A,
    body: NoInfer<RequestBody<A>>,
    options?: RequestOptions,
  ): Observable<ResponseOf<A>>;
  /** The version that would be used for `api` on `broker` (after ApiVersions negotiation). */
  version?(broker: BrokerAddress, api: ApiSpec): Observable<number>;
  /** Closes every connection; in-flight requests error. */
  close(): Promise<void>;
}

/**
 * The broker side of the in-memory transport: given a request frame (without its 4-byte size
 * prefix) sent to `broker`, answer with a response frame (without the prefix), or `undefined`
 * for a request that gets no response (Produce with acks=0). Responses are delivered on the
 * clock, so a fake cluster behind this runs in virtual time.
 */
export type FrameHandler = (broker: BrokerAddress, request: Buffer) => Observable<Buffer | undefined>;

/**
 * Instrumentation from a transport (`Transport.events$`), for a consumer's `events$`:
 * a connection made (with how long connecting, negotiating and authenticating took), a connection
 * lost or closed, a connection attempt that failed, a SASL re-authentication, and each request with
 * its latency.
 */
export type TransportEvent =
  | { readonly type: 'connect'; readonly broker: BrokerAddress; readonly durationMs: number }
  | { readonly type: 'connect-error'; readonly broker: BrokerAddress; readonly error: Error }
  | { readonly type: 'disconnect'; readonly broker: BrokerAddress; readonly reason: Error }
  | {
      /** SASL re-authenticated a connection before its session expired (KIP-368). */
      readonly type: 'reauthenticate';
      readonly broker: BrokerAddress;
      readonly durationMs: number;
      /** The new session's lifetime, as the broker gave it (0: it does not expire). */
      readonly sessionLifetimeMs: number;
    }
  | {
      readonly type: 'request';
      readonly broker: BrokerAddress;
      readonly api: string;
      readonly apiKey: number;
      readonly version: number;
      readonly latencyMs: number;
      readonly error?: Error;
    };

/** A transport that reports what it does. */
export interface InstrumentedTransport extends Transport {
  /** Hot: connections, disconnections and requests as they happen. Never errors. */
  readonly events$: Observable<TransportEvent>;
}
