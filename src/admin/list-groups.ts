import { forkJoin, map, switchMap, type Observable } from 'rxjs';
import { ListGroups } from '../protocol/specs';
import { requestOptions, type AdminContext } from './admin-context';
import { itemError } from './item-error';

/** Group types (KIP-848): the classic protocol, the consumer protocol, share groups, streams groups. */
export type GroupType = 'classic' | 'consumer' | 'share' | 'streams';

export interface ListGroupsOptions {
  /** Only groups in these states (`Empty`, `Stable`, ...; ListGroups v4+). */
  readonly states?: readonly string[];
  /** Only groups of these types (ListGroups v5+). */
  readonly types?: readonly GroupType[];
}

export interface GroupListing {
  readonly groupId: string;
  /** `consumer` for consumer groups (both protocols), `share`, `connect`, ... */
  readonly protocolType: string;
  /** Absent from brokers older than ListGroups v4. */
  readonly state?: string;
  /** Absent from brokers older than ListGroups v5. */
  readonly type?: string;
}

/**
 * ListGroups to every broker (each lists the groups it coordinates), merged and sorted by group id.
 * A broker that answers with an error fails the call: a partial list would look complete.
 */
export function listGroups$(ctx: AdminContext, options: ListGroupsOptions = {}): Observable<GroupListing[]> {
  return ctx.cluster.metadata([]).pipe(
    switchMap((metadata) =>
      forkJoin(
        [...metadata.brokers.values()].map((broker) =>
          ctx.cluster.request(
            broker,
            ListGroups,
            { statesFilter: options.states ?? [], typesFilter: options.types ?? [] },
            requestOptions(ctx),
          ),
        ),
      ),
    ),
    map((responses) => {
      const groups = new Map<string, GroupListing>();
      for (const response of responses) {
        const error = itemError(response.errorCode, 'ListGroups');
        if (error) throw error;
        for (const g of response.groups) {
          groups.set(g.groupId, {
            groupId: g.groupId,
            protocolType: g.protocolType,
            ...(g.groupState !== undefined ? { state: g.groupState } : {}),
            ...(g.groupType !== undefined ? { type: g.groupType } : {}),
          });
        }
      }
      return [...groups.values()].sort((a, b) =>
        a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0,
      );
    }),
  );
}
