import {
  defer,
  map,
  merge,
  mergeMap,
  Observable,
  of,
  shareReplay,
  Subject,
  take,
  tap,
  throwError,
  timeout,
  timer,
  last,
  takeUntil,
} from 'rxjs';
import type { KafkaRxError } from '../errors';
import type { SaslMechanism } from './sasl/sasl-mechanism';
import type { ApiSpec } from '../protocol/spec';
import type { RequestOf, ResponseOf } from '../protocol/spec-types';
import { backoffMs } from '../time/backoff';
import { now, type Clock } from '../time/clock';
import { negotiateApiVersions, type BrokerVersions } from './api-versions';
import { Connection } from './connection';
import { connectionError, connectTimeoutError } from './errors';
import { channels } from '../diagnostics/channels';
import { payloads } from '../diagnostics/payloads';
import { traced } from '../diagnostics/traced';
import type { FrameChannel } from './frame-channel';
import { authenticate } from './sasl/authenticate';
import { reauthentication } from './sasl/reauthentication';
import { saslMechanismFor } from './sasl/sasl-mechanism-for';
import type { SaslOptions } from './sasl/sasl-options';
import type {
  BrokerAddress,
  InstrumentedTransport,
  RequestBody,
  RequestOptions,
  TransportEvent,
} from './transport';

/** Kafka's clients spread reconnects by ±20 % so that clients do not reconnect in lockstep. */
const RECONNECT_JITTER = 0.2;

/** What the TCP and memory transports share: everything above the byte channel. */
export interface FramedTransportOptions {
  /** Opens a channel to a broker: emits it once, when open, then completes. */
  readonly openChannel: (broker: BrokerAddress) => Observable<FrameChannel>;
  readonly clock: Clock;
  readonly clientId: string;
  readonly requestTimeoutMs: number;
  /** Covers opening the channel, ApiVersions and SASL. */
  readonly connectTimeoutMs: number;
  readonly maxInFlightRequests: number;
  readonly reconnectBackoffMs: number;
  readonly reconnectBackoffMaxMs: number;
  readonly sasl?: SaslOptions;
  /** For the jitter of the reconnect backoff; `Math.random` by default. */
  readonly random?: () => number;
}

/** A connection that has negotiated versions (and authenticated). */
interface ReadyConnection {
  readonly connection: Connection;
  readonly versions: BrokerVersions;
}

/** Per broker (`host:port`): the current connection or attempt, and the reconnect backoff state. */
interface BrokerSlot {
  ready$?: Observable<ReadyConnection>;
  /** Failed attempts in a row. */
  failures: number;
  /** When the last attempt started, on the clock. */
  lastAttemptAt?: number;
}

/**
 * A `Transport` over frame channels: one connection per broker, opened on the first request to it
 * (ApiVersions negotiation, then SASL when configured), shared by all requests to it, and reopened on
 * the next request after it drops, with exponential backoff and jitter on the clock.
 */
export function createFramedTransport(options: FramedTransportOptions): InstrumentedTransport {
  const { clock } = options;
  const slots = new Map<string, BrokerSlot>();
  const events = new Subject<TransportEvent>();
  /** Emits once, on close(): abandons connection attempts under way. */
  const shutdown = new Subject<void>();
  const open = new Set<Connection>();
  let closed = false;
  const mechanism = options.sasl === undefined ? undefined : saslMechanismFor(options.sasl, clock);

  const emit = (event: TransportEvent): void => {
    if (!closed) events.next(event);
  };

  function connectionFor(broker: BrokerAddress): Observable<ReadyConnection> {
    const key = `${broker.host}:${broker.port}`;
    let slot = slots.get(key);
    if (slot === undefined) {
      slot = { failures: 0 };
      slots.set(key, slot);
    }
    if (slot.ready$ === undefined) {
      const abandoned$ = shutdown.pipe(
        mergeMap(() => throwError(() => connectionError(broker, 'was abandoned: the transport is closed'))),
      );
      const ready$ = merge(connect(broker, slot), abandoned$).pipe(
        take(1),
        shareReplay({ bufferSize: 1, refCount: false }),
      );
      slot.ready$ = ready$;
      const forget = (): void => {
        if (slot.ready$ === ready$) slot.ready$ = undefined;
      };
      // Started here rather than by the first subscriber, so the slot is cleaned up even if that
      // subscriber leaves: the attempt runs to its end (bounded by the connect timeout).
      ready$.subscribe({
        next: ({ connection }) => connection.closed$.subscribe(forget),
        error: forget,
      });
    }
    return slot.ready$;
  }

  function connect(broker: BrokerAddress, slot: BrokerSlot): Observable<ReadyConnection> {
    return defer(() => {
      const waitMs =
        slot.lastAttemptAt === undefined
          ? 0
          : slot.lastAttemptAt +
            backoffMs(
              // A working connection that dropped waits the initial backoff too.
              Math.max(1, slot.failures),
              {
                initial: options.reconnectBackoffMs,
                max: options.reconnectBackoffMaxMs,
                jitter: RECONNECT_JITTER,
              },
              options.random,
            ) -
            now(clock);
      return waitMs > 0 ? timer(waitMs, clock) : of(0);
    }).pipe(
      mergeMap(() => {
        const startedAt = now(clock);
        slot.lastAttemptAt = startedAt;
        return openConnection(broker).pipe(
          timeout({
            first: options.connectTimeoutMs,
            scheduler: clock,
            with: () => throwError(() => connectTimeoutError(broker, options.connectTimeoutMs)),
          }),
          traced(
            channels.connect,
            () => payloads.connect(broker, options.clientId),
            (trace) => (trace.durationMs = now(clock) - startedAt),
          ),
          tap({
            next: (ready) => {
              slot.failures = 0;
              emit({ type: 'connect', broker, durationMs: now(clock) - startedAt });
              ready.connection.closed$.subscribe((reason) => emit({ type: 'disconnect', broker, reason }));
            },
            error: (error: Error) => {
              slot.failures++;
              emit({ type: 'connect-error', broker, error });
            },
          }),
        );
      }),
    );
  }

  /** Opens a channel and readies a connection on it; tearing down before it is ready closes it. */
  function openConnection(broker: BrokerAddress): Observable<ReadyConnection> {
    return options.openChannel(broker).pipe(
      take(1),
      mergeMap(
        (channel) =>
          new Observable<ReadyConnection>((subscriber) => {
            const connection = new Connection(broker, channel, {
              clock,
              clientId: options.clientId,
              maxInFlightRequests: options.maxInFlightRequests,
              requestTimeoutMs: options.requestTimeoutMs,
              onRequestDone: (done) =>
                emit({
                  type: 'request',
                  broker,
                  api: done.api.name,
                  apiKey: done.api.apiKey,
                  version: done.version,
                  latencyMs: done.latencyMs,
                  ...(done.error ? { error: done.error } : {}),
                }),
            });
            let ready = false;
            const subscription = negotiateApiVersions(connection, broker)
              .pipe(
                mergeMap((versions) =>
                  mechanism === undefined
                    ? of({ versions, sessionLifetimeMs: 0 })
                    : authenticate(connection, versions, broker, mechanism).pipe(
                        last(),
                        map((sessionLifetimeMs) => ({ versions, sessionLifetimeMs })),
                      ),
                ),
              )
              .subscribe({
                next: ({ versions, sessionLifetimeMs }) => {
                  if (closed) {
                    connection.close();
                    subscriber.error(connectionError(broker, 'was not kept: the transport is closed'));
                    return;
                  }
                  ready = true;
                  open.add(connection);
                  connection.closed$.subscribe(() => open.delete(connection));
                  if (mechanism !== undefined && sessionLifetimeMs > 0)
                    keepAuthenticated(connection, versions, broker, mechanism, sessionLifetimeMs);
                  subscriber.next({ connection, versions });
                  subscriber.complete();
                },
                error: (error: unknown) => {
                  connection.close();
                  subscriber.error(error);
                },
              });
            return () => {
              subscription.unsubscribe();
              if (!ready) connection.close();
            };
          }),
      ),
    );
  }

  /**
   * Re-authenticates before the broker's session expires (KIP-368), on the same connection: queued
   * requests wait while SaslHandshake and SaslAuthenticate go through, so none is lost. A failed
   * re-authentication closes the connection with its error.
   */
  function keepAuthenticated(
    connection: Connection,
    versions: BrokerVersions,
    broker: BrokerAddress,
    saslMechanism: SaslMechanism,
    sessionLifetimeMs: number,
  ): void {
    const reauthenticate = (): Observable<number> =>
      defer(() => {
        const startedAt = now(clock);
        return authenticate(connection, versions, broker, saslMechanism, true).pipe(
          last(),
          tap((lifetimeMs) =>
            emit({
              type: 'reauthenticate',
              broker,
              durationMs: now(clock) - startedAt,
              sessionLifetimeMs: lifetimeMs,
            }),
          ),
        );
      });
    reauthentication(sessionLifetimeMs, reauthenticate, clock, options.random)
      .pipe(takeUntil(connection.closed$))
      .subscribe({ error: (error: KafkaRxError) => connection.close(error) });
  }

  function versionOf(ready: ReadyConnection, api: ApiSpec, forced: number | undefined): number {
    return forced === undefined ? ready.versions.versionFor(api) : ready.versions.check(api, forced);
  }

  return {
    events$: events.asObservable(),

    request<A extends ApiSpec>(
      broker: BrokerAddress,
      api: A,
      body: RequestBody<A>,
      requestOptions: RequestOptions = {},
    ) {
      return defer(() => {
        if (closed)
          return throwError(() => connectionError(broker, 'cannot be made: the transport is closed'));
        return connectionFor(broker).pipe(
          take(1),
          mergeMap((ready) => {
            const version = versionOf(ready, api, requestOptions.version);
            const message: RequestOf<A> = typeof body === 'function' ? body(version) : body;
            return ready.connection.request(api, version, message, {
              expectResponse: requestOptions.expectResponse,
              timeoutMs: requestOptions.timeoutMs,
            });
          }),
        );
      }) as Observable<ResponseOf<A>>;
    },

    version(broker: BrokerAddress, api: ApiSpec) {
      return defer(() => connectionFor(broker)).pipe(
        take(1),
        map((ready) => ready.versions.versionFor(api)),
      );
    },

    async close() {
      if (closed) return;
      closed = true;
      for (const connection of [...open])
        connection.close(connectionError(connection.broker, 'was closed with the transport'));
      shutdown.next();
      shutdown.complete();
      slots.clear();
      events.complete();
    },
  };
}
