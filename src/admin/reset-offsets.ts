import { forkJoin, map, of, switchMap, type Observable } from 'rxjs';
import { KafkaRxError } from '../errors';
import { ErrorCode } from '../protocol/errors';
import type { AdminContext } from './admin-context';
import { alterOffsets$, type AlteredOffset } from './alter-offsets';
import { describeGroups$ } from './describe-groups';
import { fetchOffsets$ } from './fetch-offsets';
import { expandTopics, listOffsets$, type ListedOffset, type PartitionsOrTopics } from './list-offsets';
import type { PartitionOf } from './topic-partition';

/**
 * Where to move a group: to the earliest or latest offset, to the first record at or after a time
 * (ms since the epoch; the end when there is none), to an offset, or by a shift from the committed
 * offset (from the earliest when none is committed). Offsets and shifts are kept within
 * [earliest, latest], as ConsumerGroupCommand keeps them.
 */
export type ResetTarget =
  | 'earliest'
  | 'latest'
  | { readonly timestamp: number }
  | { readonly offset: bigint | number }
  | { readonly shift: bigint | number };

export interface ResetOffsetsOptions {
  /** Compute the new offsets without committing them. Default false. */
  readonly dryRun?: boolean;
}

/** States in which a group has no members, so that offsets may be committed from outside. */
const EMPTY_STATES = new Set(['Empty', 'Dead']);

const clamp = (value: bigint, low: bigint, high: bigint): bigint =>
  value < low ? low : value > high ? high : value;

function targetOffset(
  target: ResetTarget,
  earliest: ListedOffset,
  latest: ListedOffset,
  atTime: ListedOffset | undefined,
  committed: bigint | undefined,
): bigint {
  if (target === 'earliest') return earliest.offset;
  if (target === 'latest') return latest.offset;
  if ('timestamp' in target) return atTime!.offset < 0n ? latest.offset : atTime!.offset;
  if ('offset' in target) return clamp(BigInt(target.offset), earliest.offset, latest.offset);
  const from = committed !== undefined && committed >= 0n ? committed : earliest.offset;
  return clamp(from + BigInt(target.shift), earliest.offset, latest.offset);
}

/**
 * Moves a group's committed offsets on the given partitions (or all partitions of the given
 * topics). Kafka only takes commits from outside a group without members: a group with members
 * rejects with NON_EMPTY_GROUP before anything is written. One result per partition, in order, with
 * the offset set (or that would be set, with `dryRun`).
 */
export function resetOffsets$(
  ctx: AdminContext,
  groupId: string,
  items: PartitionsOrTopics,
  target: ResetTarget,
  options: ResetOffsetsOptions = {},
): Observable<AlteredOffset[]> {
  return describeGroups$(ctx, [groupId]).pipe(
    switchMap(([group]) => {
      if (group.error) throw group.error;
      if (!EMPTY_STATES.has(group.state)) {
        throw new KafkaRxError(
          'NON_EMPTY_GROUP',
          `group ${JSON.stringify(groupId)} is ${group.state} with ${group.members.length} member(s): offsets can only be reset while it is empty`,
          { code: ErrorCode.NON_EMPTY_GROUP },
        );
      }
      return expandTopics(ctx, items);
    }),
    switchMap((partitions) =>
      forkJoin({
        earliest: listOffsets$(ctx, partitions, 'earliest'),
        latest: listOffsets$(ctx, partitions, 'latest'),
        atTime:
          typeof target === 'object' && 'timestamp' in target
            ? listOffsets$(ctx, partitions, target)
            : of(undefined),
        committed:
          typeof target === 'object' && 'shift' in target
            ? fetchOffsets$(ctx, groupId, { partitions })
            : of([]),
      }).pipe(
        switchMap(({ earliest, latest, atTime, committed }) => {
          const key = (tp: PartitionOf) => `${tp.topic}\u0000${tp.partition}`;
          const committedAt = new Map(committed.map((c) => [key(c), c.offset]));
          const failures: AlteredOffset[] = [];
          const offsets = partitions.flatMap((tp, i): AlteredOffset[] => {
            const error = earliest[i].error ?? latest[i].error ?? atTime?.[i].error;
            if (error) {
              failures.push({ ...tp, offset: -1n, error });
              return [];
            }
            return [
              {
                ...tp,
                offset: targetOffset(target, earliest[i], latest[i], atTime?.[i], committedAt.get(key(tp))),
              },
            ];
          });
          const written$: Observable<AlteredOffset[]> =
            options.dryRun || offsets.length === 0 ? of(offsets) : alterOffsets$(ctx, groupId, offsets);
          return written$.pipe(
            map((written) => {
              const byKey = new Map<string, AlteredOffset>([...written, ...failures].map((r) => [key(r), r]));
              return partitions.map((tp) => byKey.get(key(tp))!);
            }),
          );
        }),
      ),
    ),
  );
}
