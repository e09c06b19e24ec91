import { ErrorCode } from '../../protocol/errors';
import type { ClusterState } from '../broker-state/cluster-state';

/** Why a broker refuses a ShareFetch or ShareAcknowledge before looking at its session. */
export interface ShareRequestRefusal {
  readonly errorCode: number;
  readonly message: string;
}

/**
 * UNSUPPORTED_VERSION while share groups are disabled, INVALID_REQUEST without a GroupId and a
 * MemberId, else null: the checks ShareFetch and ShareAcknowledge make first, alike.
 */
export function shareRequestRefusal(
  cluster: ClusterState,
  groupId: string,
  memberId: string,
): ShareRequestRefusal | null {
  if (!cluster.config.groupProtocols.includes('share'))
    return { errorCode: ErrorCode.UNSUPPORTED_VERSION, message: 'Share groups are disabled.' };
  if (groupId === '' || memberId === '')
    return { errorCode: ErrorCode.INVALID_REQUEST, message: 'GroupId and MemberId must be set.' };
  return null;
}

/** A ShareFetch or ShareAcknowledge answer that is an error alone (their top-level fields are alike). */
export function shareErrorResponse(errorCode: number, errorMessage: string | null = null) {
  return {
    throttleTimeMs: 0,
    errorCode,
    errorMessage,
    acquisitionLockTimeoutMs: 0,
    responses: [],
    nodeEndpoints: [],
  };
}
