import { checkOptionNames, ConfigError, integerOption, stringOption, type OptionNames } from '../config';
import { describeValue } from '../config/describe-value';
import type { SaslOptions } from './sasl/sasl-session';
import type { TcpTransportOptions } from './tcp-transport';

const tcpTransportOptions: OptionNames<TcpTransportOptions> = {
  clientId: true,
  clock: true,
  requestTimeoutMs: true,
  connectTimeoutMs: true,
  maxInFlightRequests: true,
  reconnectBackoffMs: true,
  reconnectBackoffMaxMs: true,
  tls: true,
  sasl: true,
  socketFactory: true,
};
const saslOptions: OptionNames<SaslOptions> = { mechanism: true, username: true, password: true };
const MECHANISMS: ReadonlyArray<SaslOptions['mechanism']> = ['plain', 'scram-sha-256', 'scram-sha-512'];

/** Checks `createTcpTransport` options (names, types, ranges); throws a `ConfigError`. */
export function checkTcpTransportOptions(options: TcpTransportOptions): void {
  checkOptionNames('createTcpTransport', options, tcpTransportOptions);
  stringOption('clientId', options.clientId, undefined);
  integerOption('requestTimeoutMs', options.requestTimeoutMs, 0, 1);
  integerOption('connectTimeoutMs', options.connectTimeoutMs, 0, 1);
  integerOption('maxInFlightRequests', options.maxInFlightRequests, 0, 1);
  integerOption('reconnectBackoffMs', options.reconnectBackoffMs, 0, 0);
  integerOption('reconnectBackoffMaxMs', options.reconnectBackoffMaxMs, 0, 0);
  const { tls, sasl, socketFactory } = options;
  if (tls !== undefined && tls !== true && (tls === null || typeof tls !== 'object'))
    throw new ConfigError(`tls must be true or node's TLS connection options, got ${describeValue(tls)}`);
  if (socketFactory !== undefined && typeof socketFactory !== 'function')
    throw new ConfigError(`socketFactory must be a function, got ${describeValue(socketFactory)}`);
  if (sasl !== undefined) {
    checkOptionNames('createTcpTransport', sasl, saslOptions, 'sasl.');
    if (!MECHANISMS.includes(sasl.mechanism))
      throw new ConfigError(
        `sasl.mechanism must be one of ${MECHANISMS.join(', ')}, got ${describeValue(sasl.mechanism)}`,
      );
    if (typeof sasl.username !== 'string')
      throw new ConfigError(`sasl.username must be a string, got ${describeValue(sasl.username)}`);
    if (typeof sasl.password !== 'string')
      // The value itself is a secret: only its type is named.
      throw new ConfigError(`sasl.password must be a string, got a ${typeof sasl.password}`);
  }
}
