import type { BrokerAddress } from '../transport';
import type { SaslSession } from './sasl-session';

/** What a mechanism knows of the connection it authenticates. */
export interface SaslContext {
  readonly broker: BrokerAddress;
  /** True when the connection is already authenticated and its session is being renewed (KIP-368). */
  readonly reauthentication: boolean;
}

/**
 * A SASL mechanism: its name as the broker knows it (sent in SaslHandshake) and a new exchange per
 * authentication. PLAIN, SCRAM and OAUTHBEARER are built on it; so can your own (AWS_MSK_IAM).
 * `session` may be asynchronous (to fetch a token or credentials); what it throws or rejects with
 * fails the connection with an `AuthenticationError` (a `ConfigError` passes through as is).
 *
 * @example
 * const mechanism: SaslMechanism = {
 *   name: 'PLAIN',
 *   session: () => ({ start: () => Buffer.from('\0alice\0secret'), respond: () => undefined }),
 * };
 * createTcpTransport({ sasl: { mechanism } });
 */
export interface SaslMechanism {
  readonly name: string;
  session(context: SaslContext): SaslSession | Promise<SaslSession>;
}
