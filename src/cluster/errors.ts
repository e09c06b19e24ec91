import { KafkaRxError } from '../errors';
import { ErrorCode } from '../protocol/errors';
import { brokerKey } from './broker-list';
import type { BrokerAddress } from '../transport/transport';

/** One broker that was tried, and why it failed. */
export interface BrokerFailure {
  readonly broker: BrokerAddress;
  readonly error: unknown;
}

function describe(failures: readonly BrokerFailure[]): string {
  return failures
    .map(
      ({ broker, error }) =>
        `${brokerKey(broker)}: ${error instanceof Error ? error.message : String(error)}`,
    )
    .join('; ');
}

/**
 * No bootstrap address answered. Retriable while `bootstrapTimeoutMs` lasts; after it, a cluster
 * never reached is taken for a configuration error (wrong address, port or listener) and the
 * error is final.
 */
export class BootstrapError extends KafkaRxError {
  constructor(message: string, options: { retriable: boolean; cause?: unknown }) {
    super('BootstrapError', message, options);
  }
}

/** No known broker answered, after the cluster had been reached. Retriable. */
export class BrokerNotAvailableError extends KafkaRxError {
  constructor(message: string, cause?: unknown) {
    super('BrokerNotAvailableError', message, { retriable: true, cause });
  }
}

/** A request through a cluster client (of a consumer, producer or admin) that was closed. */
export class ClusterClosedError extends KafkaRxError {
  constructor() {
    super('ClusterClosedError', 'the cluster client is closed');
  }
}

/** None of the bootstrap addresses answered (this round). Names every address tried, with its cause. */
export function bootstrapError(failures: readonly BrokerFailure[]): BootstrapError {
  return new BootstrapError(`no bootstrap broker answered (${describe(failures)})`, {
    retriable: true,
    cause: failures[failures.length - 1]?.error,
  });
}

/** No bootstrap address answered within bootstrapTimeoutMs: final. */
export function bootstrapTimeoutError(
  timeoutMs: number,
  failures: readonly BrokerFailure[],
  addresses: readonly BrokerAddress[],
): BootstrapError {
  const tried = failures.length > 0 ? describe(failures) : addresses.map(brokerKey).join(', ');
  return new BootstrapError(
    `no bootstrap broker answered within bootstrapTimeoutMs (${timeoutMs} ms): check the addresses ` +
      `and that the brokers listen there (${tried})`,
    { retriable: false, cause: failures[failures.length - 1]?.error },
  );
}

/** No known broker answered, after metadata had been fetched before. */
export function noBrokerAvailableError(failures: readonly BrokerFailure[]): BrokerNotAvailableError {
  return new BrokerNotAvailableError(
    `no broker answered (${describe(failures)})`,
    failures[failures.length - 1]?.error,
  );
}

/** The partition has no leader (or the leader is not among the known brokers). Retriable. */
export function leaderNotAvailableError(topic: string, partition: number): KafkaRxError {
  return new KafkaRxError('LEADER_NOT_AVAILABLE', `no leader is known for ${topic}-${partition}`, {
    code: 5,
    retriable: true,
  });
}

/** The topic exists but has no such partition. Retriable: partitions may have been added. */
export function unknownPartitionError(topic: string, partition: number, count: number): KafkaRxError {
  return new KafkaRxError(
    'UNKNOWN_TOPIC_OR_PARTITION',
    `${topic} has ${count} partition${count === 1 ? '' : 's'}, no partition ${partition}`,
    { code: 3, retriable: true },
  );
}

/**
 * The error codes that say the coordinator moved (NOT_COORDINATOR) or is not there
 * (COORDINATOR_NOT_AVAILABLE): forget it and find it again before the next attempt.
 */
export function coordinatorMoved(code: number | undefined): boolean {
  return code === ErrorCode.NOT_COORDINATOR || code === ErrorCode.COORDINATOR_NOT_AVAILABLE;
}
