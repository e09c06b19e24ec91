import { KafkaRxError } from '../errors';
import type { BrokerAddress } from './transport';

/** `host:port` (and the node id when known), for messages. */
export function describeBroker(broker: BrokerAddress): string {
  const address = `${broker.host}:${broker.port}`;
  return broker.nodeId === undefined || broker.nodeId < 0 ? address : `${address} (node ${broker.nodeId})`;
}

/** A connection to a broker could not be made (refused, timed out), or dropped. Retriable. */
export class ConnectionError extends KafkaRxError {
  constructor(message: string, cause?: unknown) {
    super('ConnectionError', message, { retriable: true, cause });
  }
}

/** A request got no response within `requestTimeoutMs`; its connection is closed. Retriable. */
export class RequestTimeoutError extends KafkaRxError {
  constructor(message: string) {
    super('RequestTimeoutError', message, { retriable: true });
  }
}

/** Broker and client share no version of an API (code 35). Not retriable. */
export class UnsupportedVersionError extends KafkaRxError {
  constructor(message: string) {
    super('UnsupportedVersionError', message, { code: 35, retriable: false });
  }
}

/** SASL authentication failed. Not retriable. */
export class AuthenticationError extends KafkaRxError {
  constructor(message: string, code?: number) {
    super('AuthenticationError', message, { code, retriable: false });
  }
}

/** The broker's bytes make no sense as frames (bad size, unknown correlation id). Retriable on a new connection. */
export class FramingError extends KafkaRxError {
  constructor(message: string) {
    super('FramingError', message, { retriable: true });
  }
}

/** The TLS handshake failed. Not retriable. */
export class TlsError extends KafkaRxError {
  constructor(message: string, cause?: unknown) {
    super('TlsError', message, { retriable: false, cause });
  }
}

/** The connection to a broker could not be made, or dropped. Retriable: a new connection may work. */
export function connectionError(broker: BrokerAddress, reason: string, cause?: unknown): ConnectionError {
  return new ConnectionError(`connection to ${describeBroker(broker)} ${reason}`, cause);
}

/** No response within the request timeout. Retriable; the connection is closed (as Kafka's own clients do). */
export function requestTimeoutError(
  broker: BrokerAddress,
  api: string,
  timeoutMs: number,
): RequestTimeoutError {
  return new RequestTimeoutError(
    `${api} request to ${describeBroker(broker)} got no response within ${timeoutMs} ms`,
  );
}

/** Connecting (TCP, TLS and negotiation) took longer than the connect timeout. Retriable. */
export function connectTimeoutError(broker: BrokerAddress, timeoutMs: number): ConnectionError {
  return new ConnectionError(`connection to ${describeBroker(broker)} timed out after ${timeoutMs} ms`);
}

/** Neither side speaks a version of an API that the other does. Not retriable. */
export function unsupportedVersionError(
  broker: BrokerAddress,
  api: { name: string; minVersion: number; maxVersion: number },
  brokerRange: { minVersion: number; maxVersion: number } | undefined,
): UnsupportedVersionError {
  const ours = `kafka-rx speaks v${api.minVersion}-${api.maxVersion}`;
  const theirs = brokerRange
    ? `the broker v${brokerRange.minVersion}-${brokerRange.maxVersion}`
    : 'the broker does not list it';
  return new UnsupportedVersionError(
    `no common version of ${api.name} with ${describeBroker(broker)}: ${ours}, ${theirs}`,
  );
}

/** SASL authentication failed (bad credentials, mechanism not enabled). Not retriable: no retry storm. */
export function authenticationError(
  broker: BrokerAddress,
  reason: string,
  code?: number,
): AuthenticationError {
  return new AuthenticationError(
    `SASL authentication with ${describeBroker(broker)} failed: ${reason}`,
    code,
  );
}

/** The bytes from the broker make no sense (bad size, unknown correlation id). The connection is closed. */
export function framingError(broker: BrokerAddress, reason: string): FramingError {
  return new FramingError(`bad response from ${describeBroker(broker)}: ${reason}`);
}

/**
 * The TLS handshake failed: an unknown CA, a name mismatch, a protocol mismatch. Not retriable:
 * trying again gives the same answer.
 */
export function tlsError(broker: BrokerAddress, cause: Error & { code?: string }): TlsError {
  return new TlsError(
    `TLS with ${describeBroker(broker)} failed: ${cause.message}${cause.code ? ` (${cause.code})` : ''}`,
    cause,
  );
}
