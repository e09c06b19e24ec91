import { map, type Observable } from 'rxjs';
import type { KafkaRxError } from '../errors';
import { CreateAcls, DeleteAcls, DescribeAcls } from '../protocol/specs';
import { aclBinding, aclCreation, aclFilter, type AclBinding, type AclFilter } from './acl-binding';
import { requestOptions, type AdminContext } from './admin-context';
import { answerError, itemError } from './item-error';
import { retryItems } from './retry-items';

export interface CreateAclResult {
  readonly binding: AclBinding;
  readonly error?: KafkaRxError;
}

export interface DeleteAclsResult {
  readonly filter: AclFilter;
  /** The bindings this filter deleted. */
  readonly deleted: readonly AclBinding[];
  readonly error?: KafkaRxError;
}

const subject = (b: AclBinding) =>
  `ACL ${b.permission} ${b.principal} ${b.operation} ${b.resourceType}:${b.resourceName}`;

/** CreateAcls to any broker (forwarded to the controller): one result per binding, in order. */
export function createAcls$(
  ctx: AdminContext,
  bindings: readonly AclBinding[],
): Observable<CreateAclResult[]> {
  const send = (batch: readonly AclBinding[]): Observable<CreateAclResult[]> =>
    ctx.cluster.requestAny(CreateAcls, { creations: batch.map(aclCreation) }, requestOptions(ctx)).pipe(
      map((response) =>
        batch.map((binding, i) => {
          const answer = response.results.at(i);
          const error = answerError(answer, subject(binding));
          return error ? { binding, error } : { binding };
        }),
      ),
    );
  return retryItems(bindings, send, ctx.retry);
}

/** DescribeAcls to any broker: every binding matching the filter. A top-level error rejects. */
export function describeAcls$(ctx: AdminContext, filter: AclFilter = {}): Observable<AclBinding[]> {
  return ctx.cluster.requestAny(DescribeAcls, aclFilter(filter), requestOptions(ctx)).pipe(
    map((response) => {
      const error = itemError(response.errorCode, 'DescribeAcls', response.errorMessage);
      if (error) throw error;
      return response.resources.flatMap((resource) => resource.acls.map((acl) => aclBinding(resource, acl)));
    }),
  );
}

/** DeleteAcls to any broker (forwarded to the controller): per filter, the bindings it deleted. */
export function deleteAcls$(
  ctx: AdminContext,
  filters: readonly AclFilter[],
): Observable<DeleteAclsResult[]> {
  const send = (batch: readonly AclFilter[]): Observable<DeleteAclsResult[]> =>
    ctx.cluster.requestAny(DeleteAcls, { filters: batch.map(aclFilter) }, requestOptions(ctx)).pipe(
      map((response) =>
        batch.map((filter, i) => {
          const answer = response.filterResults.at(i);
          const error = answerError(answer, 'DeleteAcls filter');
          if (error || !answer) return { filter, deleted: [], error };
          const deleted = answer.matchingAcls.map((m) => aclBinding(m, m));
          return { filter, deleted };
        }),
      ),
    );
  return retryItems(filters, send, ctx.retry);
}
