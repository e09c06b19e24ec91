import { checkOptionNames, ConfigError, type OptionNames } from '../../config';
import { describeValue } from '../../config/describe-value';
import { didYouMean } from '../../config/did-you-mean';
import { saslprep } from './saslprep';
import type { SaslCustomOptions, SaslOAuthBearerOptions, SaslPasswordOptions } from './sasl-options';

const MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512', 'oauthbearer'] as const;
const passwordOptions: OptionNames<SaslPasswordOptions> = { mechanism: true, username: true, password: true };
const oauthBearerOptions: OptionNames<SaslOAuthBearerOptions> = { mechanism: true, tokenProvider: true };
const customOptions: OptionNames<SaslCustomOptions> = { mechanism: true };

/** Checks `sasl` options (mechanism, credentials, token provider); throws a `ConfigError`. */
export function checkSaslOptions(what: string, sasl: unknown): void {
  if (sasl === null || typeof sasl !== 'object' || Array.isArray(sasl))
    throw new ConfigError(`${what}: sasl must be an object ({ mechanism, ... }), got ${describeValue(sasl)}`);
  const { mechanism } = sasl as { mechanism?: unknown };
  if (mechanism !== null && typeof mechanism === 'object') {
    checkOptionNames(what, sasl, customOptions, 'sasl.');
    const { name, session } = mechanism as { name?: unknown; session?: unknown };
    if (typeof name !== 'string' || name === '')
      throw new ConfigError(
        `sasl.mechanism.name must be the mechanism's name as the broker knows it, got ${describeValue(name)}`,
      );
    if (typeof session !== 'function')
      throw new ConfigError(`sasl.mechanism.session must be a function, got ${describeValue(session)}`);
    return;
  }
  if (!MECHANISMS.includes(mechanism as (typeof MECHANISMS)[number])) {
    const guess = typeof mechanism === 'string' ? didYouMean(mechanism, [...MECHANISMS]) : undefined;
    throw new ConfigError(
      `sasl.mechanism must be one of ${MECHANISMS.join(', ')} or a SaslMechanism ({ name, session }), got ${describeValue(mechanism)}${guess === undefined ? '' : `; did you mean ${guess}?`}`,
    );
  }
  if (mechanism === 'oauthbearer') {
    checkOptionNames(what, sasl, oauthBearerOptions, 'sasl.');
    const { tokenProvider } = sasl as { tokenProvider?: unknown };
    if (typeof tokenProvider !== 'function')
      throw new ConfigError(
        `sasl.tokenProvider must be a function resolving to { value, lifetimeMs }, got ${describeValue(tokenProvider)}`,
      );
    return;
  }
  checkOptionNames(what, sasl, passwordOptions, 'sasl.');
  const { username, password } = sasl as { username?: unknown; password?: unknown };
  if (typeof username !== 'string')
    throw new ConfigError(`sasl.username must be a string, got ${describeValue(username)}`);
  if (typeof password !== 'string')
    // The value itself is a secret: only its type is named.
    throw new ConfigError(`sasl.password must be a string, got a ${typeof password}`);
  if (mechanism !== 'plain') {
    checkSaslprep('sasl.username', 'user name', username);
    checkSaslprep('sasl.password', 'password', password);
  }
}

/**
 * SCRAM prepares both with SASLprep: what it refuses is refused here, at once, as is a user name
 * that preparing empties (RFC 5802 section 5.1).
 */
function checkSaslprep(option: string, what: string, value: string): void {
  let prepared: string;
  try {
    prepared = saslprep(value);
  } catch (error) {
    throw new ConfigError(`${option} is not a valid SCRAM ${what}: ${(error as Error).message}`);
  }
  if (prepared === '' && what === 'user name')
    throw new ConfigError(`${option} is empty once prepared with SASLprep`);
}
