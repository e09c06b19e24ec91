import { map, of, switchMap, type Observable } from 'rxjs';
import type { KafkaRxError } from '../errors';
import type { AdminContext } from './admin-context';
import { fetchOffsets$ } from './fetch-offsets';
import { listOffsets$ } from './list-offsets';
import type { PartitionOf } from './topic-partition';

export interface PartitionLag extends PartitionOf {
  /** The group's committed offset; null when none is committed. */
  readonly committed: bigint | null;
  /** The end offset (high watermark; the last stable offset with `read_committed`); null when unknown. */
  readonly end: bigint | null;
  /** end - committed (negative for a commit past the end); null when either is unknown. */
  readonly lag: bigint | null;
  readonly error?: KafkaRxError;
}

export interface GroupLag {
  readonly groupId: string;
  /** Every partition the group has committed, sorted by topic and partition. */
  readonly partitions: readonly PartitionLag[];
  /** The sum of the known lags. */
  readonly total: bigint;
}

/**
 * How far a group is behind: its committed offsets (OffsetFetch to the coordinator) against the end
 * offsets of the same partitions (ListOffsets to their leaders), per partition and in total.
 */
export function lag$(
  ctx: AdminContext,
  groupId: string,
  options: { readonly isolationLevel?: 'read_uncommitted' | 'read_committed' } = {},
): Observable<GroupLag> {
  return fetchOffsets$(ctx, groupId).pipe(
    switchMap((committed) => {
      const ends$ = committed.length === 0 ? of([]) : listOffsets$(ctx, committed, 'latest', options);
      return ends$.pipe(
        map((ends) => {
          const partitions = committed.map((c, i): PartitionLag => {
            const end = ends[i];
            const error = c.error ?? end.error;
            const at = c.error || c.offset < 0n ? null : c.offset;
            const endOffset = end.error ? null : end.offset;
            return {
              topic: c.topic,
              partition: c.partition,
              committed: at,
              end: endOffset,
              // Not clamped: a commit past the end shows as negative, as ConsumerGroupCommand shows it.
              lag: at === null || endOffset === null ? null : endOffset - at,
              ...(error ? { error } : {}),
            };
          });
          const total = partitions.reduce((sum, p) => sum + (p.lag ?? 0n), 0n);
          return { groupId, partitions, total };
        }),
      );
    }),
  );
}
