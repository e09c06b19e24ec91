export type {
  BrokerAddress,
  FrameHandler,
  InstrumentedTransport,
  RequestBody,
  RequestOptions,
  Transport,
  TransportEvent,
} from './transport';
export { createTcpTransport, type TcpTransportOptions } from './tcp-transport';
export { createMemoryTransport, type MemoryTransportOptions } from './memory-transport';
export type { SaslOptions } from './sasl/sasl-session';
export type { ClientConnectionOptions } from './default-transport';
