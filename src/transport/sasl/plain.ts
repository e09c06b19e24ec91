import type { SaslMechanism } from './sasl-mechanism';
import type { SaslSession } from './sasl-session';

/** SASL PLAIN (RFC 4616): one message, `authzid NUL authcid NUL passwd`, with an empty authzid. */
export function plainSession(username: string, password: string): SaslSession {
  return {
    start: () => Buffer.from(`\u0000${username}\u0000${password}`, 'utf8'),
    respond: () => undefined,
  };
}

export function plainMechanism(username: string, password: string): SaslMechanism {
  return { name: 'PLAIN', session: () => plainSession(username, password) };
}
