import { map, type Observable } from 'rxjs';
import type { KafkaRxError } from '../errors';
import { DeleteGroups } from '../protocol/specs';
import type { AdminContext } from './admin-context';
import { coordinatorRequest } from './coordinator-request';
import { answerError } from './item-error';
import { retryEach } from './retry-each';

export interface DeleteGroupResult {
  readonly groupId: string;
  readonly error?: KafkaRxError;
}

function deleteOne(ctx: AdminContext, groupId: string): Observable<DeleteGroupResult> {
  return coordinatorRequest(
    ctx,
    groupId,
    DeleteGroups,
    { groupsNames: [groupId] },
    (r) => r.results[0]?.errorCode ?? 0,
  ).pipe(
    map((r) => {
      const answer = r.results.find((g) => g.groupId === groupId);
      const error = answerError(answer, `group ${JSON.stringify(groupId)}`);
      return error ? { groupId, error } : { groupId };
    }),
  );
}

/**
 * DeleteGroups, each group to its coordinator: deletes empty groups and their offsets. A group with
 * members gets NON_EMPTY_GROUP, an unknown one GROUP_ID_NOT_FOUND.
 */
export function deleteGroups$(
  ctx: AdminContext,
  groupIds: readonly string[],
): Observable<DeleteGroupResult[]> {
  return retryEach(groupIds, (groupId) => deleteOne(ctx, groupId), ctx.retry);
}
