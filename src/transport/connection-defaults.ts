/** The connection settings every transport takes, each optional. */
export interface ConnectionSettings {
  /** Sent in every request header. Default `kafka-rx`. */
  readonly clientId?: string;
  /** How long a written request may wait for its response. Default 30000. */
  readonly requestTimeoutMs?: number;
  /** How long connecting (TCP, TLS, ApiVersions, SASL) may take. Default 10000. */
  readonly connectTimeoutMs?: number;
  /** Requests in flight per connection; more wait in order. Default 5. */
  readonly maxInFlightRequests?: number;
  /** Wait before reconnecting to a broker; doubles with each failed attempt. Default 100. */
  readonly reconnectBackoffMs?: number;
  /** Upper bound of the reconnect wait. Default 1000, as the Java client. */
  readonly reconnectBackoffMaxMs?: number;
}

/** The connection settings with their defaults, the same over TCP and in memory. */
export function connectionDefaults(options: ConnectionSettings): Required<ConnectionSettings> {
  return {
    clientId: options.clientId ?? 'kafka-rx',
    requestTimeoutMs: options.requestTimeoutMs ?? 30000,
    connectTimeoutMs: options.connectTimeoutMs ?? 10000,
    maxInFlightRequests: options.maxInFlightRequests ?? 5,
    reconnectBackoffMs: options.reconnectBackoffMs ?? 100,
    reconnectBackoffMaxMs: options.reconnectBackoffMaxMs ?? 1000,
  };
}
