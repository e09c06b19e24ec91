import { ConfigError } from '../config/config-error';
import { KafkaRxError } from '../errors';
import { ErrorCode, KafkaProtocolError, protocolError } from '../protocol/errors';

/** Bad consumer configuration. */
export function configError(message: string): ConfigError {
  return new ConfigError(message);
}

/** Another consumer with the same `groupInstanceId` joined the group (KIP-345): this one stops. Fatal. */
export class FencedInstanceIdError extends KafkaRxError {
  constructor(message: string) {
    super('FencedInstanceIdError', message, { code: 82 });
  }
}

/** The group coordinator refused this member for good (e.g. INCONSISTENT_GROUP_PROTOCOL). Fatal. */
export class GroupMembershipError extends KafkaRxError {
  constructor(message: string, code: number, cause?: unknown) {
    super('GroupMembershipError', message, { code, cause });
  }
}

/** A subscription, commit or seek on a consumer after `close()`. */
export class ConsumerClosedError extends KafkaRxError {
  constructor(message: string) {
    super('ConsumerClosedError', message);
  }
}

/** A second subscription to `messages$`, `partitions$` or a partition's `records$` while one is active. */
export class AlreadySubscribedError extends KafkaRxError {
  constructor(message: string) {
    super('AlreadySubscribedError', message);
  }
}

/** `pause`, `resume` or `seek` of a partition this consumer does not own now. */
export class NotAssignedError extends KafkaRxError {
  constructor(message: string) {
    super('NotAssignedError', message);
  }
}

/** A bad argument to a consumer method (e.g. a negative or non-bigint offset). */
export class InvalidArgumentError extends KafkaRxError {
  constructor(message: string) {
    super('InvalidArgumentError', message);
  }
}

/** Something thrown that was not a KafkaRxError (a bug, or a handler's error), wrapped. */
export class ConsumerError extends KafkaRxError {
  constructor(message: string, cause: unknown) {
    super('ConsumerError', message, { cause });
  }
}

/**
 * Another consumer with the same `groupInstanceId` joined the group: this one is fenced and
 * must stop (KIP-345). Fatal.
 */
export function fencedInstanceError(groupInstanceId: string | null): FencedInstanceIdError {
  return new FencedInstanceIdError(
    `Another consumer joined group with groupInstanceId "${groupInstanceId ?? ''}"; this one is fenced and stops. ` +
      'Give every consumer instance its own groupInstanceId.',
  );
}

/** The group coordinator refused this member for good (e.g. INCONSISTENT_GROUP_PROTOCOL, GROUP_AUTHORIZATION_FAILED). */
export function fatalGroupError(api: string, errorCode: number): GroupMembershipError {
  const cause = protocolError(errorCode);
  return new GroupMembershipError(
    `${api} failed: ${cause?.name ?? errorCode}: ${cause?.message ?? ''}`,
    errorCode,
    cause,
  );
}

/** Wraps anything thrown into a KafkaRxError, so every error the consumer reports is one. */
export function asKafkaRxError(error: unknown): KafkaRxError {
  if (error instanceof KafkaRxError) return error;
  return new ConsumerError(error instanceof Error ? error.message : String(error), error);
}

/** A subscribed topic the cluster does not know: reported on events$ and waited for, never fatal. */
export function unknownTopic(topic: string): KafkaProtocolError {
  const error = protocolError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)!;
  return new KafkaProtocolError({
    code: error.code,
    name: error.name,
    message: `topic "${topic}": ${error.message} (subscribed; its partitions are assigned once it exists)`,
    retriable: true,
    invalidMetadata: error.invalidMetadata,
  });
}
