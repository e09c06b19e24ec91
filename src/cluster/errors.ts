import { KafkaRxError } from '../errors';
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

/** None of the bootstrap addresses answered. Names every address tried, with its cause. */
export function bootstrapError(failures: readonly BrokerFailure[]): KafkaRxError {
  return new KafkaRxError('BootstrapError', `no bootstrap broker answered (${describe(failures)})`, {
    retriable: true,
    cause: failures[failures.length - 1]?.error,
  });
}

/** No known broker answered, after metadata had been fetched before. */
export function noBrokerAvailableError(failures: readonly BrokerFailure[]): KafkaRxError {
  return new KafkaRxError('BrokerNotAvailableError', `no broker answered (${describe(failures)})`, {
    retriable: true,
    cause: failures[failures.length - 1]?.error,
  });
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
