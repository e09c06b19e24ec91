import { ErrorCode, protocolError } from '../../protocol/errors';
import { GroupMembershipError } from '../errors';

/** What the application can do about the errors that end a consumer group membership. */
const advice: ReadonlyMap<number, string> = new Map([
  [
    ErrorCode.UNRELEASED_INSTANCE_ID,
    'another consumer with the same groupInstanceId is still a member; give every instance its own groupInstanceId, or wait until the other one leaves',
  ],
  [
    ErrorCode.GROUP_MAX_SIZE_REACHED,
    'the group has as many members as the broker allows (group.consumer.max.size)',
  ],
  [
    ErrorCode.UNSUPPORTED_ASSIGNOR,
    'the broker has no such server assignor (see group.consumer.assignors); try groupRemoteAssignor "uniform" or "range"',
  ],
  [ErrorCode.INVALID_REGULAR_EXPRESSION, 'the broker (RE2/J syntax) cannot compile topicPattern'],
]);

/** A ConsumerGroupHeartbeat error that ends the membership, with the broker's message and advice. */
export function consumerGroupError(errorCode: number, errorMessage?: string | null): GroupMembershipError {
  const cause = protocolError(errorCode);
  const details = [errorMessage, advice.get(errorCode)].filter((s): s is string => !!s).join('; ');
  return new GroupMembershipError(
    `ConsumerGroupHeartbeat failed: ${cause?.name ?? errorCode}${details ? `: ${details}` : ''}`,
    errorCode,
    cause,
  );
}
