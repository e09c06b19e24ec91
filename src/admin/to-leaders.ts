import { catchError, defer, forkJoin, map, of, switchMap, type Observable } from 'rxjs';
import { brokerKey } from '../cluster/broker-list';
import type { ClusterMetadata } from '../cluster/cluster';
import { KafkaRxError } from '../errors';
import type { BrokerAddress } from '../transport/transport';
import type { AdminContext } from './admin-context';
import { itemError } from './item-error';
import type { ItemResult } from './retry-items';
import type { PartitionOf } from './topic-partition';

/** Where each item goes, or why it cannot go anywhere. */
function route<I extends PartitionOf>(
  metadata: ClusterMetadata,
  items: readonly I[],
): { leaders: Map<string, { broker: BrokerAddress; items: I[] }>; errors: Map<I, KafkaRxError> } {
  const leaders = new Map<string, { broker: BrokerAddress; items: I[] }>();
  const errors = new Map<I, KafkaRxError>();
  for (const item of items) {
    const subject = `${item.topic}-${item.partition}`;
    const topic = metadata.topics.get(item.topic);
    const p = topic?.partitions.find((candidate) => candidate.partition === item.partition);
    const broker = p && p.leader >= 0 ? metadata.brokers.get(p.leader) : undefined;
    if (topic === undefined || (topic.errorCode === 0 && p === undefined))
      errors.set(item, itemError(3, subject)!);
    else if (topic.errorCode !== 0) errors.set(item, itemError(topic.errorCode, subject)!);
    else if (broker === undefined) errors.set(item, itemError(5, subject)!);
    else {
      const key = brokerKey(broker);
      const entry = leaders.get(key) ?? { broker, items: [] };
      entry.items.push(item);
      leaders.set(key, entry);
    }
  }
  return { leaders, errors };
}

/**
 * Sends items to their partition leaders, one request per leader, all at once, and gives back
 * every item's result in the order of `items`. Metadata comes from the cache on the first call and
 * is fetched again on later ones (a retry after NOT_LEADER_OR_FOLLOWER). An item without a leader,
 * or whose leader does not answer, gets that as its error, without failing the others.
 */
export function toLeaders<I extends PartitionOf, R extends ItemResult>(
  ctx: AdminContext,
  send: (broker: BrokerAddress, items: readonly I[]) => Observable<readonly R[]>,
  failed: (item: I, error: KafkaRxError) => R,
): (items: readonly I[]) => Observable<R[]> {
  let calls = 0;
  return (items) =>
    defer(() => {
      const topics = [...new Set(items.map((i) => i.topic))];
      return calls++ === 0 ? ctx.cluster.metadata(topics) : ctx.cluster.refreshMetadata(topics);
    }).pipe(
      switchMap((metadata) => {
        const { leaders, errors } = route(metadata, items);
        const results = new Map<I, R>();
        for (const [item, error] of errors) results.set(item, failed(item, error));
        const requests = [...leaders.values()].map(({ broker, items: batch }) =>
          send(broker, batch).pipe(
            map((answers) => batch.forEach((item, k) => results.set(item, answers[k]))),
            catchError((error: unknown) => {
              const why =
                error instanceof KafkaRxError
                  ? error
                  : new KafkaRxError('UNKNOWN_SERVER_ERROR', String(error));
              batch.forEach((item) => results.set(item, failed(item, why)));
              return of(undefined);
            }),
          ),
        );
        return (requests.length === 0 ? of([]) : forkJoin(requests)).pipe(
          map(() => items.map((i) => results.get(i)!)),
        );
      }),
    );
}
