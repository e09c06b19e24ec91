import { ConfigError } from '../../config/config-error';
import { defer, EMPTY, expand, ignoreElements, map, mergeMap, type Observable } from 'rxjs';
import { SaslAuthenticate, SaslHandshake } from '../../protocol/specs';
import type { BrokerVersions } from '../api-versions';
import type { Connection } from '../connection';
import { authenticationError } from '../errors';
import type { BrokerAddress } from '../transport';
import { plainSession } from './plain';
import type { SaslOptions, SaslSession } from './sasl-session';
import { scramSession } from './scram';

const MECHANISM_NAMES: Record<SaslOptions['mechanism'], string> = {
  plain: 'PLAIN',
  'scram-sha-256': 'SCRAM-SHA-256',
  'scram-sha-512': 'SCRAM-SHA-512',
};

function sessionFor(options: SaslOptions): SaslSession {
  switch (options.mechanism) {
    case 'plain':
      return plainSession(options.username, options.password);
    case 'scram-sha-256':
      return scramSession('sha256', options.username, options.password);
    case 'scram-sha-512':
      return scramSession('sha512', options.username, options.password);
  }
}

/**
 * Authenticates a new connection: SaslHandshake v1 names the mechanism, then the mechanism's
 * messages travel in SaslAuthenticate requests (KIP-152) until the exchange completes. Completes
 * empty on success; errors with a non-retriable `AuthenticationError` otherwise.
 */
export function authenticate(
  connection: Connection,
  versions: BrokerVersions,
  broker: BrokerAddress,
  options: SaslOptions,
): Observable<never> {
  const mechanism = MECHANISM_NAMES[options.mechanism];
  if (mechanism === undefined) {
    return defer(() => {
      throw new ConfigError(`unknown SASL mechanism ${JSON.stringify(options.mechanism)}`);
    });
  }
  return defer(() => {
    // v0 handshakes are followed by raw SASL tokens; kafka-rx only frames them in SaslAuthenticate.
    const handshakeVersion = versions.versionFor(SaslHandshake);
    if (handshakeVersion < 1) throw authenticationError(broker, 'the broker only speaks SaslHandshake v0');
    const authenticateVersion = versions.versionFor(SaslAuthenticate);
    const session = sessionFor(options);

    const exchange = (authBytes: Buffer): Observable<Buffer | undefined> =>
      connection.request(SaslAuthenticate, authenticateVersion, { authBytes }).pipe(
        map((body) => {
          if (body.errorCode !== 0) {
            throw authenticationError(
              broker,
              `${body.errorMessage ?? 'rejected'} (error ${body.errorCode})`,
              body.errorCode,
            );
          }
          try {
            return session.respond(body.authBytes);
          } catch (error) {
            throw authenticationError(broker, error instanceof Error ? error.message : String(error));
          }
        }),
      );

    return connection.request(SaslHandshake, handshakeVersion, { mechanism }).pipe(
      mergeMap((body) => {
        if (body.errorCode !== 0) {
          const offered = body.mechanisms?.join(', ') || 'none';
          throw authenticationError(
            broker,
            `mechanism ${mechanism} is not enabled (the broker offers: ${offered})`,
            body.errorCode,
          );
        }
        return exchange(session.start());
      }),
      expand((reply) => (reply === undefined ? EMPTY : exchange(reply))),
      ignoreElements(),
    );
  });
}
