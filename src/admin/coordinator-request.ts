import { defer, map, switchMap, tap, type Observable } from 'rxjs';
import { coordinatorMoved } from '../cluster/errors';
import { retryWithBackoff } from '../cluster/retry-with-backoff';
import { ErrorCode } from '../protocol/errors';
import type { ApiSpec } from '../protocol/spec';
import type { ResponseOf } from '../protocol/spec-types';
import type { RequestBody } from '../transport/transport';
import { requestOptions, type AdminContext } from './admin-context';
import { itemError } from './item-error';

/** Errors that say the coordinator moved or is not ready: find it again, after a backoff. */
function coordinatorError(code: number): boolean {
  return coordinatorMoved(code) || code === ErrorCode.COORDINATOR_LOAD_IN_PROGRESS;
}

/**
 * A request to a group's coordinator. When `groupErrorCode` of the response is a coordinator error
 * (NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE, COORDINATOR_LOAD_IN_PROGRESS), the coordinator is
 * forgotten and the request sent again after a backoff on the clock; other answers pass through.
 */
export function coordinatorRequest<A extends ApiSpec>(
  ctx: AdminContext,
  groupId: string,
  api: A,
  body: NoInfer<RequestBody<A>>,
  groupErrorCode: (response: ResponseOf<A>) => number,
): Observable<ResponseOf<A>> {
  return defer(() =>
    ctx.cluster.coordinator(groupId).pipe(
      switchMap((broker) => ctx.cluster.request(broker, api, body, requestOptions(ctx))),
      map((response) => {
        const code = groupErrorCode(response);
        if (coordinatorError(code)) {
          ctx.cluster.coordinatorDead(groupId);
          throw itemError(code, `group ${JSON.stringify(groupId)}`);
        }
        return response;
      }),
      // A coordinator that did not answer may have moved too.
      tap({ error: () => ctx.cluster.coordinatorDead(groupId) }),
    ),
  ).pipe(retryWithBackoff(ctx.retry));
}
