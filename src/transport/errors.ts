import { KafkaRxError } from '../errors';
import type { BrokerAddress } from './transport';

/** `host:port` (and the node id when known), for messages. */
export function describeBroker(broker: BrokerAddress): string {
  const address = `${broker.host}:${broker.port}`;
  return broker.nodeId === undefined || broker.nodeId < 0 ? address : `${address} (node ${broker.nodeId})`;
}

/** The connection to a broker could not be made, or dropped. Retriable: a new connection may work. */
export function connectionError(broker: BrokerAddress, reason: string, cause?: unknown): KafkaRxError {
  return new KafkaRxError('ConnectionError', `connection to ${describeBroker(broker)} ${reason}`, {
    retriable: true,
    cause,
  });
}

/** No response within the request timeout. Retriable; the connection is closed (as Kafka's own clients do). */
export function requestTimeoutError(broker: BrokerAddress, api: string, timeoutMs: number): KafkaRxError {
  return new KafkaRxError(
    'RequestTimeoutError',
    `${api} request to ${describeBroker(broker)} got no response within ${timeoutMs} ms`,
    { retriable: true },
  );
}

/** Connecting (TCP, TLS and negotiation) took longer than the connect timeout. Retriable. */
export function connectTimeoutError(broker: BrokerAddress, timeoutMs: number): KafkaRxError {
  return new KafkaRxError(
    'ConnectionError',
    `connection to ${describeBroker(broker)} timed out after ${timeoutMs} ms`,
    {
      retriable: true,
    },
  );
}

/** Neither side speaks a version of an API that the other does. Not retriable. */
export function unsupportedVersionError(
  broker: BrokerAddress,
  api: { name: string; minVersion: number; maxVersion: number },
  brokerRange: { minVersion: number; maxVersion: number } | undefined,
): KafkaRxError {
  const ours = `kafka-rx speaks v${api.minVersion}-${api.maxVersion}`;
  const theirs = brokerRange
    ? `the broker v${brokerRange.minVersion}-${brokerRange.maxVersion}`
    : 'the broker does not list it';
  return new KafkaRxError(
    'UnsupportedVersionError',
    `no common version of ${api.name} with ${describeBroker(broker)}: ${ours}, ${theirs}`,
    { code: 35, retriable: false },
  );
}

/** SASL authentication failed (bad credentials, mechanism not enabled). Not retriable: no retry storm. */
export function authenticationError(broker: BrokerAddress, reason: string, code?: number): KafkaRxError {
  return new KafkaRxError(
    'AuthenticationError',
    `SASL authentication with ${describeBroker(broker)} failed: ${reason}`,
    {
      code,
      retriable: false,
    },
  );
}

/** The bytes from the broker make no sense (bad size, unknown correlation id). The connection is closed. */
export function framingError(broker: BrokerAddress, reason: string): KafkaRxError {
  return new KafkaRxError('FramingError', `bad response from ${describeBroker(broker)}: ${reason}`, {
    retriable: true,
  });
}

/**
 * The TLS handshake failed: an unknown CA, a name mismatch, a protocol mismatch. Not retriable:
 * trying again gives the same answer.
 */
export function tlsError(broker: BrokerAddress, cause: Error & { code?: string }): KafkaRxError {
  return new KafkaRxError(
    'TlsError',
    `TLS with ${describeBroker(broker)} failed: ${cause.message}${cause.code ? ` (${cause.code})` : ''}`,
    { retriable: false, cause },
  );
}
