import type { OAuthBearerTokenProvider } from './oauthbearer-token';
import type { SaslMechanism } from './sasl-mechanism';

/** SASL with a user name and password: PLAIN (RFC 4616) or SCRAM (RFC 5802, 7677). */
export interface SaslPasswordOptions {
  readonly mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
  readonly username: string;
  readonly password: string;
}

/** SASL OAUTHBEARER (KIP-255): a token from the provider at each (re-)authentication. */
export interface SaslOAuthBearerOptions {
  readonly mechanism: 'oauthbearer';
  readonly tokenProvider: OAuthBearerTokenProvider;
}

/** A mechanism of your own (AWS_MSK_IAM, ...), built on the `SaslMechanism` interface. */
export interface SaslCustomOptions {
  readonly mechanism: SaslMechanism;
}

/** SASL settings: the mechanism and what it needs. */
export type SaslOptions = SaslPasswordOptions | SaslOAuthBearerOptions | SaslCustomOptions;
