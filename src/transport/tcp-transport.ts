import { defaultClock } from '../time/clock';
import { connectionDefaults } from './connection-defaults';
import { createFramedTransport } from './framed-transport';
import { openTcpChannel } from './tcp-channel';
import { checkTcpTransportOptions, type TcpTransportOptions } from './tcp-transport-options';
import type { InstrumentedTransport } from './transport';

export type { TcpTransportOptions } from './tcp-transport-options';

/**
 * A `Transport` over TCP (node:net, or node:tls when `tls` is set): one connection per broker,
 * pipelined requests, ApiVersions negotiation, SASL (PLAIN, SCRAM-SHA-256/512, OAUTHBEARER with
 * re-authentication, or a mechanism of your own), reconnect with backoff on the clock, and `events$` for instrumentation. Throws a `ConfigError` for an unknown
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
    ...connectionDefaults(options),
    sasl: options.sasl,
  });
}
