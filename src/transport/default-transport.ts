import type { ConnectionOptions as TlsConnectionOptions } from 'node:tls';
import { ConfigError } from '../config/config-error';
import type { Clock } from '../time/clock';
import type { SaslOptions } from './sasl/sasl-options';
import { createTcpTransport } from './tcp-transport';
import type { Transport } from './transport';

/** The connection options every client takes (consumer, producer, admin). */
export interface ClientConnectionOptions {
  /** How requests reach brokers; by default TCP, set up from `tls` and `sasl`. */
  readonly transport?: Transport;
  /** TLS for the default TCP transport: node:tls options, or `true` for the system's CAs. */
  readonly tls?: TlsConnectionOptions | true;
  /** SASL for the default TCP transport (`plain`, `scram-sha-*`, `oauthbearer`, or your own mechanism). */
  readonly sasl?: SaslOptions;
}

/**
 * The client's transport: the one given, or TCP with the client's `tls` and `sasl`. Both at once
 * is a `ConfigError`: the given transport would silently ignore them.
 */
export function defaultTransport(
  what: string,
  options: ClientConnectionOptions,
  tcp: { clientId?: string; clock: Clock; requestTimeoutMs?: number },
): Transport {
  if (options.transport !== undefined) {
    if (options.tls !== undefined || options.sasl !== undefined)
      throw new ConfigError(
        `${what}: tls and sasl set up the default TCP transport; with your own transport, give them to createTcpTransport`,
      );
    return options.transport;
  }
  return createTcpTransport({ ...tcp, tls: options.tls, sasl: options.sasl });
}
