import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { ConnectionOptions as TlsConnectionOptions } from 'node:tls';
import { defaultClock, type Clock } from '../time/clock';
import { createFramedTransport } from './framed-transport';
import type { SaslOptions } from './sasl/sasl-session';
import { openTcpChannel } from './tcp-channel';
import { checkTcpTransportOptions } from './tcp-transport-options';
import type { BrokerAddress, InstrumentedTransport } from './transport';

export interface TcpTransportOptions {
  /** Sent in every request header. Default `kafka-rx`. */
  readonly clientId?: string;
  readonly clock?: Clock;
  /** How long a written request may wait for its response. Default 30000. */
  readonly requestTimeoutMs?: number;
  /** How long connecting (TCP, TLS, ApiVersions, SASL) may take. Default 10000. */
  readonly connectTimeoutMs?: number;
  /** Requests in flight per connection; more wait in order. Default 5. */
  readonly maxInFlightRequests?: number;
  /** Wait before reconnecting to a broker; doubles with each failed attempt. Default 100. */
  readonly reconnectBackoffMs?: number;
  /** Upper bound of the reconnect wait. Default 10000. */
  readonly reconnectBackoffMaxMs?: number;
  /** TLS options (`ca`, `cert`, `key`, `servername`, `rejectUnauthorized`, ...), or `true` for the defaults. */
  readonly tls?: TlsConnectionOptions | true;
  readonly sasl?: SaslOptions;
  /** Makes each broker connection yourself (through a proxy, or to inject faults in tests). */
  readonly socketFactory?: (broker: BrokerAddress) => Socket | Duplex;
}

/**
 * A `Transport` over TCP (node:net, or node:tls when `tls` is set): one connection per broker,
 * pipelined requests, ApiVersions negotiation, SASL PLAIN and SCRAM-SHA-256/512, reconnect with
 * backoff on the clock, and `events$` for instrumentation. Throws a `ConfigError` for an unknown
 * option or a bad value.
 *
 * @example
 * const transport = createTcpTransport({ clientId: 'billing', tls: { ca } });
 * transport.request({ host: 'kafka-1', port: 9093 }, Metadata, { topics: null }).subscribe(console.log);
 */
export function createTcpTransport(options: TcpTransportOptions = {}): InstrumentedTransport {
  checkTcpTransportOptions(options);
  const { tls, socketFactory } = options;
  return createFramedTransport({
    openChannel: (broker) => openTcpChannel(broker, { tls, socketFactory }),
    clock: options.clock ?? defaultClock,
    clientId: options.clientId ?? 'kafka-rx',
    requestTimeoutMs: options.requestTimeoutMs ?? 30000,
    connectTimeoutMs: options.connectTimeoutMs ?? 10000,
    maxInFlightRequests: options.maxInFlightRequests ?? 5,
    reconnectBackoffMs: options.reconnectBackoffMs ?? 100,
    reconnectBackoffMaxMs: options.reconnectBackoffMaxMs ?? 10000,
    sasl: options.sasl,
  });
}
