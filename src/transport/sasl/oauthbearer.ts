import { ConfigError } from '../../config/config-error';
import { now, type Clock } from '../../time/clock';
import { AuthenticationError } from '../errors';
import type { OAuthBearerToken, OAuthBearerTokenProvider } from './oauthbearer-token';
import type { SaslMechanism } from './sasl-mechanism';
import type { SaslSession } from './sasl-session';

/** RFC 6750 b64token: what a bearer token may hold, so it cannot break the message's framing. */
const TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
/** RFC 7628 section 3.1: key = 1*ALPHA; value = *(VCHAR / SP / HTAB / CR / LF). */
const EXTENSION_KEY = /^[A-Za-z]+$/;
const EXTENSION_VALUE = /^[\x21-\x7e \t\r\n]*$/;
const SEPARATOR = '\u0001';

/**
 * The client's initial response (RFC 7628 section 3.1): the GS2 header without authorization id,
 * `auth=Bearer <token>`, one `key=value` per extension, each ended by ^A, and a final ^A.
 * Throws a `ConfigError` for a token or extension that cannot be sent as given.
 */
export function oauthBearerInitialResponse(token: OAuthBearerToken): Buffer {
  if (typeof token?.value !== 'string' || !TOKEN.test(token.value))
    throw new ConfigError(
      'the OAUTHBEARER token provider gave no token, or one with characters a bearer token may not hold',
    );
  let message = `n,,${SEPARATOR}auth=Bearer ${token.value}${SEPARATOR}`;
  for (const [key, value] of Object.entries(token.extensions ?? {})) {
    if (!EXTENSION_KEY.test(key) || key === 'auth')
      throw new ConfigError(
        `OAUTHBEARER extension name ${JSON.stringify(key)} must be letters only, and not "auth"`,
      );
    if (typeof value !== 'string' || !EXTENSION_VALUE.test(value))
      throw new ConfigError(`OAUTHBEARER extension ${key} must be printable ASCII text`);
    message += `${key}=${value}${SEPARATOR}`;
  }
  return Buffer.from(`${message}${SEPARATOR}`, 'utf8');
}

/**
 * OAUTHBEARER's exchange: the initial response, then either success (an empty server message) or
 * an error (a JSON status, RFC 7628 section 3.2.2), which the client acknowledges with a lone ^A so
 * that the broker completes the exchange with its error.
 */
export function oauthBearerSession(token: OAuthBearerToken): SaslSession {
  const initial = oauthBearerInitialResponse(token);
  let step: 'initial' | 'error' | 'done' = 'initial';
  return {
    start: () => initial,
    respond(serverMessage: Buffer): Buffer | undefined {
      if (step === 'initial' && serverMessage.length === 0) {
        step = 'done';
        return undefined;
      }
      if (step === 'initial') {
        step = 'error';
        return Buffer.from(SEPARATOR, 'utf8');
      }
      throw new AuthenticationError('OAUTHBEARER: unexpected message after the exchange completed');
    },
  };
}

/**
 * SASL OAUTHBEARER (KIP-255): asks the provider for a token at each authentication, refuses one
 * that has already expired on the clock (the broker would refuse it less clearly).
 */
export function oauthBearerMechanism(tokenProvider: OAuthBearerTokenProvider, clock: Clock): SaslMechanism {
  return {
    name: 'OAUTHBEARER',
    async session() {
      const token = await tokenProvider();
      if (token === null || typeof token !== 'object' || typeof token.lifetimeMs !== 'number')
        throw new ConfigError('the OAUTHBEARER token provider must resolve to { value, lifetimeMs, ... }');
      const left = token.lifetimeMs - now(clock);
      if (left <= 0)
        throw new AuthenticationError(
          `OAUTHBEARER: the token provider gave a token that expired ${-left} ms ago`,
        );
      return oauthBearerSession(token);
    },
  };
}
