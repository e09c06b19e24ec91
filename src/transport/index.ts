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
export type {
  SaslCustomOptions,
  SaslOAuthBearerOptions,
  SaslOptions,
  SaslPasswordOptions,
} from './sasl/sasl-options';
export type { SaslSession } from './sasl/sasl-session';
export type { SaslContext, SaslMechanism } from './sasl/sasl-mechanism';
export type { OAuthBearerToken, OAuthBearerTokenProvider } from './sasl/oauthbearer-token';
export type { ClientConnectionOptions } from './default-transport';
