import { exhaustMap, filter, interval, type Observable, switchMap, take } from 'rxjs';
import type { ClusterMetadata } from '../cluster/cluster';
import type { Clock } from '../time/clock';

/** Partitions per subscribed topic; a topic the cluster does not know (yet) is absent. */
export type PartitionCounts = ReadonlyMap<string, number>;

/** The partition counts of `topics` in `metadata`, leaving out topics with an error or no partitions. */
export function partitionCounts(metadata: ClusterMetadata, topics: readonly string[]): PartitionCounts {
  const counts = new Map<string, number>();
  for (const name of topics) {
    const t = metadata.topics.get(name);
    if (t && t.errorCode === 0 && t.partitions.length > 0) counts.set(name, t.partitions.length);
  }
  return counts;
}

const sameCounts = (a: PartitionCounts, b: PartitionCounts): boolean =>
  a.size === b.size && [...a].every(([name, count]) => b.get(name) === count);

/**
 * The group leader's metadata watch for a list of topics (as the Java consumer's leader compares
 * its assignment's metadata snapshot): takes the counts the assignment was made from
 * (`assigned$`), then reads them again (`refreshed$`, one metadata refresh; a refresh still under
 * way skips the next tick) and emits the new counts once, then completes, when a topic appeared
 * or gained partitions. While a subscribed topic is missing it looks every `missingPeriodMs`,
 * so a topic created after the group formed is consumed soon; otherwise every `metadataMaxAgeMs`.
 *
 * @example
 * partitionsChanged$(cached$, refreshed$, ['orders'], { metadataMaxAgeMs: 300000, missingPeriodMs: 1000 }, clock)
 */
export function partitionsChanged$(
  assigned$: Observable<PartitionCounts>,
  refreshed$: Observable<PartitionCounts>,
  topics: readonly string[],
  periods: { readonly metadataMaxAgeMs: number; readonly missingPeriodMs: number },
  clock: Clock,
): Observable<PartitionCounts> {
  return assigned$.pipe(
    take(1),
    switchMap((assigned) => {
      const missing = topics.some((t) => !assigned.has(t));
      const period = missing
        ? Math.min(periods.missingPeriodMs, periods.metadataMaxAgeMs)
        : periods.metadataMaxAgeMs;
      return interval(period, clock).pipe(
        exhaustMap(() => refreshed$.pipe(take(1))),
        filter((counts) => !sameCounts(counts, assigned)),
        take(1),
      );
    }),
  );
}
