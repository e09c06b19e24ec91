import { Observable } from 'rxjs';
import { ErrorCode } from '../../protocol/errors';
import { SyncGroup } from '../../protocol/specs';
import type { ResponseBodyOf } from '../../protocol/spec-types';
import type { SyncResult } from '../group-coordinator/group';
import { coordinatorError } from './coordinator-check';
import type { ApiHandler } from './handler';

function body(result: SyncResult): ResponseBodyOf<typeof SyncGroup> {
  return {
    throttleTimeMs: 0,
    errorCode: result.errorCode,
    protocolType: result.protocolType,
    protocolName: result.protocolName,
    assignment: result.assignment,
  };
}

function failed(errorCode: number): ResponseBodyOf<typeof SyncGroup> {
  return body({ errorCode, protocolType: null, protocolName: null, assignment: Buffer.alloc(0) });
}

/**
 * SyncGroup (key 14): the leader hands in the assignment; followers wait for it and then get
 * their own part.
 */
export const syncGroupHandler: ApiHandler<typeof SyncGroup> = {
  api: SyncGroup,
  handle(request, cluster) {
    const req = request.body;
    return new Observable<ResponseBodyOf<typeof SyncGroup>>((subscriber) => {
      const notCoordinator = coordinatorError(request, cluster, req.groupId);
      if (notCoordinator !== ErrorCode.NONE) {
        subscriber.next(failed(notCoordinator));
        subscriber.complete();
        return;
      }
      cluster.coordinator.sync(
        {
          groupId: req.groupId,
          generationId: req.generationId,
          memberId: req.memberId,
          groupInstanceId: req.groupInstanceId ?? null,
          protocolType: req.protocolType ?? null,
          protocolName: req.protocolName ?? null,
          assignments: req.assignments,
        },
        (result) => {
          subscriber.next(body(result));
          subscriber.complete();
        },
      );
    });
  },
  errorResponse: (_request, errorCode) => failed(errorCode),
};
