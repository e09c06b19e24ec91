/**
 * An OAuth 2 bearer token for SASL OAUTHBEARER, as a token provider returns it. Fields follow
 * Kafka's `OAuthBearerToken`.
 */
export interface OAuthBearerToken {
  /** The token itself (a JWS compact serialization, for Kafka's validators). */
  readonly value: string;
  /** When the token expires, in milliseconds since the epoch (Kafka's `lifetimeMs`). */
  readonly lifetimeMs: number;
  /** Whom the token names; informational (Kafka takes the principal from the token itself). */
  readonly principal?: string;
  /** SASL extensions sent with the token (RFC 7628 section 3.1): letters as keys, printable values. */
  readonly extensions?: Readonly<Record<string, string>>;
}

/** Called at each authentication and re-authentication; caching tokens is the provider's choice. */
export type OAuthBearerTokenProvider = () => Promise<OAuthBearerToken>;
