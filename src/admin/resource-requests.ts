import { forkJoin, map, of, switchMap, type Observable } from 'rxjs';
import type { ApiSpec } from '../protocol/spec';
import type { RequestOf, ResponseOf } from '../protocol/spec-types';
import { requestOptions, type AdminContext } from './admin-context';
import { resourceNode, type ConfigResource } from './config-resource';

/**
 * Sends config requests, one per broker that must answer (a broker's own resources) and one to any
 * broker for the rest, all at once, and gives back each resource's answer in the order of `resources`.
 */
export function perResourceBroker<A extends ApiSpec, R extends ConfigResource, T>(
  ctx: AdminContext,
  resources: readonly R[],
  api: A,
  body: (resources: readonly R[]) => RequestOf<A>,
  answers: (response: ResponseOf<A>, resources: readonly R[]) => readonly T[],
): Observable<T[]> {
  const groups = new Map<number | undefined, R[]>();
  for (const resource of resources) {
    const node = resourceNode(resource);
    groups.set(node, [...(groups.get(node) ?? []), resource]);
  }
  const requests = [...groups].map(([node, batch]) => {
    const response$ =
      node === undefined
        ? ctx.cluster.requestAny(api, body(batch), requestOptions(ctx))
        : ctx.cluster.metadata([]).pipe(
            switchMap((md) => {
              const broker = md.brokers.get(node);
              // An unknown node id goes to any broker, which answers with the error for it.
              return broker
                ? ctx.cluster.request(broker, api, body(batch), requestOptions(ctx))
                : ctx.cluster.requestAny(api, body(batch), requestOptions(ctx));
            }),
          );
    return response$.pipe(map((response) => ({ batch, results: answers(response, batch) })));
  });
  return (requests.length === 0 ? of([]) : forkJoin(requests)).pipe(
    map((done) => {
      const byResource = new Map<R, T>();
      for (const { batch, results } of done) batch.forEach((r, i) => byResource.set(r, results[i]));
      return resources.map((r) => byResource.get(r)!);
    }),
  );
}
