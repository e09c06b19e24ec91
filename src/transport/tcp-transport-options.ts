import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { ConnectionOptions as TlsConnectionOptions } from 'node:tls';
import { checkOptionNames, ConfigError, integerOption, stringOption, type OptionNames } from '../config';
import { describeValue } from '../config/describe-value';
import type { Clock } from '../time/clock';
import type { ConnectionSettings } from './connection-defaults';
import { checkSaslOptions } from './sasl/check-sasl-options';
import type { SaslOptions } from './sasl/sasl-options';
import type { BrokerAddress } from './transport';

export interface TcpTransportOptions extends ConnectionSettings {
  readonly clock?: Clock;
  /** TLS options (`ca`, `cert`, `key`, `servername`, `rejectUnauthorized`, ...), or `true` for the defaults. */
  readonly tls?: TlsConnectionOptions | true;
  readonly sasl?: SaslOptions;
  /** Makes each broker connection yourself (through a proxy, or to inject faults in tests). */
  readonly socketFactory?: (broker: BrokerAddress) => Socket | Duplex;
}

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
  if (sasl !== undefined) checkSaslOptions('createTcpTransport', sasl);
}
