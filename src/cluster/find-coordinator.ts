import { protocolError } from '../protocol/errors';
import type { FindCoordinator } from '../protocol/specs';
import type { RequestOf, ResponseOf } from '../protocol/spec-types';
import { KafkaRxError } from '../errors';
import type { BrokerAddress } from '../transport/transport';
import type { CoordinatorType } from './cluster';

const KEY_TYPES: Record<CoordinatorType, number> = { group: 0, transaction: 1 };

/**
 * The body of a FindCoordinator request: v4+ carries a batch of keys (`coordinatorKeys`), v0-3 a
 * single `key`.
 */
export function findCoordinatorRequest(
  version: number,
  key: string,
  type: CoordinatorType,
): RequestOf<typeof FindCoordinator> {
  return version >= 4
    ? { keyType: KEY_TYPES[type], coordinatorKeys: [key] }
    : { key, keyType: KEY_TYPES[type] };
}

/**
 * The coordinator named in a FindCoordinator response (the entry for `key` in v4+); throws the
 * broker's error (COORDINATOR_NOT_AVAILABLE and COORDINATOR_LOAD_IN_PROGRESS are retriable).
 */
export function coordinatorFromResponse(
  version: number,
  key: string,
  body: ResponseOf<typeof FindCoordinator>,
): BrokerAddress {
  // v0-3 answer for the one key in the body itself (those fields are absent from v4 on).
  const entry =
    version >= 4
      ? body.coordinators?.find((c) => c.key === key)
      : {
          errorCode: body.errorCode ?? 0,
          errorMessage: body.errorMessage ?? null,
          nodeId: body.nodeId ?? -1,
          host: body.host ?? '',
          port: body.port ?? -1,
        };
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
