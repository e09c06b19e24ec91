import { of } from 'rxjs';
import { ErrorCode } from '../../protocol/errors';
import { DeleteGroups } from '../../protocol/specs';
import { coordinatorError } from './coordinator-check';
import type { ApiHandler } from './handler';

/** DeleteGroups (key 42), to the groups' coordinator: empty groups go, with their committed offsets. */
export const deleteGroupsHandler: ApiHandler<typeof DeleteGroups> = {
  api: DeleteGroups,
  handle: (request, cluster) =>
    of({
      throttleTimeMs: 0,
      results: request.body.groupsNames.map((groupId) => {
        const notCoordinator = coordinatorError(request, cluster, groupId);
        return {
          groupId,
          errorCode:
            notCoordinator !== ErrorCode.NONE ? notCoordinator : cluster.coordinator.deleteGroup(groupId),
        };
      }),
    }),
  errorResponse: (request, errorCode) => ({
    throttleTimeMs: 0,
    results: request.body.groupsNames.map((groupId) => ({ groupId, errorCode })),
  }),
};
