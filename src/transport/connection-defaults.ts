/** The connection settings every transport takes, each optional. */
export interface ConnectionSettings {
  readonly clientId?: string;
  readonly requestTimeoutMs?: number;
  readonly connectTimeoutMs?: number;
  readonly maxInFlightRequests?: number;
  readonly reconnectBackoffMs?: number;
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
    reconnectBackoffMaxMs: options.reconnectBackoffMaxMs ?? 10000,
  };
}
