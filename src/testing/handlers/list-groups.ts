import { of } from 'rxjs';
import { ErrorCode } from '../../protocol/errors';
import { ListGroups } from '../../protocol/specs';
import type { ApiHandler } from './handler';

/**
 * ListGroups (key 16): the groups this broker coordinates (all classic groups), filtered by state
 * (v4+, case-insensitive as in Kafka) and type (v5+).
 */
export const listGroupsHandler: ApiHandler = {
  api: ListGroups,
  handle(request, cluster) {
    const states = ((request.body.statesFilter as string[] | undefined) ?? []).map((s) => s.toLowerCase());
    const types = ((request.body.typesFilter as string[] | undefined) ?? []).map((t) => t.toLowerCase());
    const groups = cluster.coordinator
      .list()
      .filter((g) => cluster.coordinatorFor(g.groupId) === request.nodeId)
      .filter((g) => states.length === 0 || states.includes(g.state.toLowerCase()))
      .filter(() => types.length === 0 || types.includes('classic'))
      .map((g) => ({
        groupId: g.groupId,
        protocolType: g.protocolType ?? '',
        groupState: g.state,
        groupType: 'classic',
      }));
    return of({ throttleTimeMs: 0, errorCode: ErrorCode.NONE, groups });
  },
  errorResponse: (_request, errorCode) => ({ throttleTimeMs: 0, errorCode, groups: [] }),
};
