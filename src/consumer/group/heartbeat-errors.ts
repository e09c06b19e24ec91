import { ErrorCode } from '../../protocol/errors';

/**
 * How the heartbeat-only protocols (ConsumerGroupHeartbeat, KIP-848; ShareGroupHeartbeat,
 * KIP-932) read a heartbeat's error: both answer with the same codes and mean the same by them.
 */

/** The member's epoch is no longer valid: it joins again with epoch 0 (what it held is lost). */
export const fencedHeartbeatErrors: ReadonlySet<number> = new Set([
  ErrorCode.FENCED_MEMBER_EPOCH,
  ErrorCode.UNKNOWN_MEMBER_ID,
]);

/** A later heartbeat mends these (a coordinator that moved is found again). */
export const retriableHeartbeatErrors: ReadonlySet<number> = new Set([
  ErrorCode.NOT_COORDINATOR,
  ErrorCode.COORDINATOR_NOT_AVAILABLE,
  ErrorCode.COORDINATOR_LOAD_IN_PROGRESS,
  ErrorCode.REQUEST_TIMED_OUT,
]);
