import { KafkaRxError } from '../errors';
import { protocolError } from '../protocol/errors';

/** Bad consumer configuration. */
export function configError(message: string): KafkaRxError {
  return new KafkaRxError('ConfigError', message);
}

/**
 * Another consumer with the same `groupInstanceId` joined the group: this one is fenced and
 * must stop (KIP-345). Fatal.
 */
export function fencedInstanceError(groupInstanceId: string | null): KafkaRxError {
  return new KafkaRxError(
    'FencedInstanceIdError',
    `Another consumer joined group with groupInstanceId "${groupInstanceId ?? ''}"; this one is fenced and stops. ` +
      'Give every consumer instance its own groupInstanceId.',
    { code: 82 },
  );
}

/** The group coordinator refused this member for good (e.g. INCONSISTENT_GROUP_PROTOCOL, GROUP_AUTHORIZATION_FAILED). */
export function fatalGroupError(api: string, errorCode: number): KafkaRxError {
  const cause = protocolError(errorCode);
  return new KafkaRxError(
    'GroupMembershipError',
    `${api} failed: ${cause?.name ?? errorCode}: ${cause?.message ?? ''}`,
    {
      code: errorCode,
      cause,
    },
  );
}

/** Wraps anything thrown into a KafkaRxError, so every error the consumer reports is one. */
export function asKafkaRxError(error: unknown): KafkaRxError {
  if (error instanceof KafkaRxError) return error;
  return new KafkaRxError('ConsumerError', error instanceof Error ? error.message : String(error), {
    cause: error,
  });
}
