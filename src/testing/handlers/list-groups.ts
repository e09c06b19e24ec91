import { of } from 'rxjs';
import { ErrorCode } from '../../protocol/errors';
import { ListGroups } from '../../protocol/specs';
import type { ApiHandler } from './handler';

/**
 * ListGroups (key 16): the groups this broker coordinates, classic, consumer (KIP-848) and share (KIP-932), filtered
 * by state (v4+, case-insensitive as in Kafka) and type (v5+).
 */
export const listGroupsHandler: ApiHandler<typeof ListGroups> = {
  api: ListGroups,
  handle(request, cluster) {
    const states = (request.body.statesFilter ?? []).map((s) => s.toLowerCase());
    const types = (request.body.typesFilter ?? []).map((t) => t.toLowerCase());
    const consumerGroupIds = new Set(cluster.consumerGroups.list().map((g) => g.groupId));
    const classic = cluster.coordinator
      .list()
      // A consumer group's offsets live in an empty classic group of the same id: not a group of its own.
      .filter((g) => !consumerGroupIds.has(g.groupId))
      .map((g) => ({
        groupId: g.groupId,
        protocolType: g.protocolType ?? '',
        groupState: g.state,
        groupType: 'classic',
      }));
    const consumer = cluster.consumerGroups.list().map((g) => ({
      groupId: g.groupId,
      protocolType: 'consumer',
      groupState: g.state,
      groupType: 'consumer',
    }));
    const shareGroups = cluster.shareGroups.list().map((g) => ({
      groupId: g.groupId,
      protocolType: 'share',
      groupState: g.state,
      groupType: 'share',
    }));
    const groups = [...classic, ...consumer, ...shareGroups]
      .filter((g) => cluster.coordinatorFor(g.groupId) === request.nodeId)
      .filter((g) => states.length === 0 || states.includes(g.groupState.toLowerCase()))
      .filter((g) => types.length === 0 || types.includes(g.groupType));
    return of({ throttleTimeMs: 0, errorCode: ErrorCode.NONE, groups });
  },
  errorResponse: (_request, errorCode) => ({ throttleTimeMs: 0, errorCode, groups: [] }),
};
