import { protocolError } from '../protocol/errors';
import type { Message } from '../protocol/spec';
import { KafkaRxError } from '../errors';
import type { BrokerAddress } from '../transport/transport';
import type { CoordinatorType } from './cluster';

const KEY_TYPES: Record<CoordinatorType, number> = { group: 0, transaction: 1 };

/**
 * The body of a FindCoordinator request: v4+ carries a batch of keys (`coordinatorKeys`), v0-3 a
 * single `key`.
 */
export function findCoordinatorRequest(version: number, key: string, type: CoordinatorType): Message {
  return version >= 4
    ? { keyType: KEY_TYPES[type], coordinatorKeys: [key] }
    : { key, keyType: KEY_TYPES[type] };
}

/**
 * The coordinator named in a FindCoordinator response (the entry for `key` in v4+); throws the
 * broker's error (COORDINATOR_NOT_AVAILABLE and COORDINATOR_LOAD_IN_PROGRESS are retriable).
 */
export function coordinatorFromResponse(version: number, key: string, body: Message): BrokerAddress {
  const entry: Message | undefined =
    version >= 4 ? (body.coordinators as Message[]).find((c) => c.key === key) : body;
  if (entry === undefined) {
    throw new KafkaRxError(
      'FindCoordinatorError',
      `FindCoordinator response has no entry for ${JSON.stringify(key)}`,
      {
        retriable: true,
      },
    );
  }
  const error = protocolError(entry.errorCode);
  if (error) {
    throw new KafkaRxError(
      error.name,
      `coordinator for ${JSON.stringify(key)}: ${entry.errorMessage ?? error.message}`,
      {
        code: error.code,
        retriable: error.retriable,
      },
    );
  }
  return { host: entry.host, port: entry.port, nodeId: entry.nodeId };
}
