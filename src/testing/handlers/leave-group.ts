import { of } from 'rxjs';
import { ErrorCode } from '../../protocol/errors';
import { LeaveGroup } from '../../protocol/specs';
import type { ResponseBodyOf } from '../../protocol/spec-types';
import { coordinatorError } from './coordinator-check';
import type { ApiHandler, BrokerRequest } from './handler';

interface Leaving {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
}

function leavingMembers(request: BrokerRequest<typeof LeaveGroup>): Leaving[] {
  if (request.version >= 3) {
    return (request.body.members ?? []).map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId ?? null,
    }));
  }
  return [{ memberId: request.body.memberId ?? '', groupInstanceId: null }];
}

function response(
  request: BrokerRequest<typeof LeaveGroup>,
  members: Leaving[],
  codes: number[],
  topLevel: number,
): ResponseBodyOf<typeof LeaveGroup> {
  if (request.version < 3)
    return { throttleTimeMs: 0, errorCode: topLevel !== ErrorCode.NONE ? topLevel : codes[0] };
  return {
    throttleTimeMs: 0,
    errorCode: topLevel,
    members: topLevel !== ErrorCode.NONE ? [] : members.map((m, i) => ({ ...m, errorCode: codes[i] })),
  };
}

/** LeaveGroup (key 13): members leave (v3+: several at once, static ones by instance id); a rebalance follows. */
export const leaveGroupHandler: ApiHandler<typeof LeaveGroup> = {
  api: LeaveGroup,
  handle(request, cluster) {
    const members = leavingMembers(request);
    const notCoordinator = coordinatorError(request, cluster, request.body.groupId);
    if (notCoordinator !== ErrorCode.NONE) return of(response(request, members, [], notCoordinator));
    const codes = cluster.coordinator.leave(request.body.groupId, members);
    return of(response(request, members, codes, ErrorCode.NONE));
  },
  errorResponse: (request, errorCode) => response(request, leavingMembers(request), [], errorCode),
};
