import {
  catchError,
  defer,
  EMPTY,
  expand,
  filter,
  finalize,
  map,
  mergeMap,
  throwError,
  type Observable,
} from 'rxjs';
import { ConfigError } from '../../config/config-error';
import { KafkaRxError } from '../../errors';
import { SaslAuthenticate, SaslHandshake } from '../../protocol/specs';
import type { BrokerVersions } from '../api-versions';
import type { Connection } from '../connection';
import { authenticationError } from '../errors';
import type { BrokerAddress } from '../transport';
import type { SaslMechanism } from './sasl-mechanism';
import type { SaslSession } from './sasl-session';

/** A step of the exchange: the next client message, or the end with the session's lifetime. */
type Step = { readonly reply: Buffer } | { readonly sessionLifetimeMs: number };

/**
 * Authenticates a connection: the mechanism's session is made first (a token fetched, say), then
 * SaslHandshake v1 names the mechanism and the mechanism's messages travel in SaslAuthenticate
 * requests (KIP-152) until the exchange completes. Emits the session lifetime the broker gave
 * (SaslAuthenticate v1+, KIP-368; 0 when the session does not expire), then completes; errors with
 * a non-retriable `AuthenticationError` (or the mechanism's `ConfigError`) otherwise.
 *
 * To re-authenticate an open connection, its other requests are held back from the handshake to
 * the end of the exchange (the broker takes nothing else in between) and written afterwards.
 */
export function authenticate(
  connection: Connection,
  versions: BrokerVersions,
  broker: BrokerAddress,
  mechanism: SaslMechanism,
  reauthentication = false,
): Observable<number> {
  return defer(() => {
    // v0 handshakes are followed by raw SASL tokens; kafka-rx only frames them in SaslAuthenticate.
    const handshakeVersion = versions.versionFor(SaslHandshake);
    if (handshakeVersion < 1) throw authenticationError(broker, 'the broker only speaks SaslHandshake v0');
    const authenticateVersion = versions.versionFor(SaslAuthenticate);
    const sendOptions = { urgent: reauthentication };

    const failed = (error: unknown): KafkaRxError =>
      error instanceof ConfigError || (error instanceof KafkaRxError && error.name !== 'AuthenticationError')
        ? error
        : authenticationError(broker, error instanceof Error ? error.message : String(error));

    const exchange = (session: SaslSession): Observable<number> => {
      const step = (authBytes: Buffer): Observable<Step> =>
        connection.request(SaslAuthenticate, authenticateVersion, { authBytes }, sendOptions).pipe(
          map((body): Step => {
            if (body.errorCode !== 0) {
              throw authenticationError(
                broker,
                `${body.errorMessage ?? 'rejected'} (error ${body.errorCode})`,
                body.errorCode,
              );
            }
            let reply: Buffer | undefined;
            try {
              reply = session.respond(body.authBytes);
            } catch (error) {
              throw failed(error);
            }
            return reply === undefined
              ? { sessionLifetimeMs: Number(body.sessionLifetimeMs ?? 0n) }
              : { reply };
          }),
        );
      return connection
        .request(SaslHandshake, handshakeVersion, { mechanism: mechanism.name }, sendOptions)
        .pipe(
          mergeMap((body) => {
            if (body.errorCode !== 0) {
              const offered = body.mechanisms?.join(', ') || 'none';
              throw authenticationError(
                broker,
                `mechanism ${mechanism.name} is not enabled (the broker offers: ${offered})`,
                body.errorCode,
              );
            }
            let first: Buffer;
            try {
              first = session.start();
            } catch (error) {
              throw failed(error);
            }
            return step(first).pipe(expand((next) => ('reply' in next ? step(next.reply) : EMPTY)));
          }),
          filter((next): next is { sessionLifetimeMs: number } => 'sessionLifetimeMs' in next),
          map((next) => next.sessionLifetimeMs),
        );
    };

    return defer(async () => mechanism.session({ broker, reauthentication })).pipe(
      catchError((error: unknown) => throwError(() => failed(error))),
      mergeMap((session) => {
        if (!reauthentication) return exchange(session);
        connection.hold();
        return exchange(session).pipe(finalize(() => connection.release()));
      }),
    );
  });
}
