import { defer, map, switchMap, type Observable } from 'rxjs';
import type { KafkaRxError } from '../errors';
import { ListOffsets } from '../protocol/specs';
import type { BrokerAddress } from '../transport/transport';
import { requestOptions, type AdminContext } from './admin-context';
import { partitionResults } from './partition-results';
import { retryItems } from './retry-items';
import { toLeaders } from './to-leaders';
import { groupByTopic, type PartitionOf } from './topic-partition';

/**
 * Which offset to look up: the first one kept, the next one to be written (the high watermark,
 * or with `read_committed` the last stable offset), the record with the largest timestamp, or the
 * first record whose timestamp is at or after a time (milliseconds since the epoch).
 */
export type OffsetSpec = 'earliest' | 'latest' | 'max-timestamp' | { readonly timestamp: number };

export interface ListOffsetsOptions {
  /** Default `'read_uncommitted'`. */
  readonly isolationLevel?: 'read_uncommitted' | 'read_committed';
}

export interface ListedOffset extends PartitionOf {
  /** -1 when no record matches (a time after the last record, an empty partition with `max-timestamp`). */
  readonly offset: bigint;
  /** The found record's timestamp, -1 for `earliest` and `latest`. */
  readonly timestamp: number;
  readonly leaderEpoch: number;
  readonly error?: KafkaRxError;
}

/** Partitions to look up: `{ topic, partition }`, or a topic name for all its partitions. */
export type PartitionsOrTopics = ReadonlyArray<PartitionOf | string>;

function specTimestamp(spec: OffsetSpec): bigint {
  if (spec === 'earliest') return -2n;
  if (spec === 'latest') return -1n;
  if (spec === 'max-timestamp') return -3n;
  return BigInt(spec.timestamp);
}

/**
 * Topic names replaced by all their partitions (from metadata). A name the cluster does not know
 * stays as `{ topic, partition: -1 }`, which the lookup reports as UNKNOWN_TOPIC_OR_PARTITION.
 */
export function expandTopics(ctx: AdminContext, items: PartitionsOrTopics): Observable<PartitionOf[]> {
  return defer(() => {
    const names = [...new Set(items.filter((i): i is string => typeof i === 'string'))];
    const expand = (counts: ReadonlyMap<string, number>): PartitionOf[] =>
      items.flatMap((item) => {
        if (typeof item !== 'string') return [item];
        const count = counts.get(item) ?? 0;
        if (count === 0) return [{ topic: item, partition: -1 }];
        return Array.from({ length: count }, (_, partition) => ({ topic: item, partition }));
      });
    if (names.length === 0) return [expand(new Map())];
    return ctx.cluster
      .refreshMetadata(names)
      .pipe(
        map((md) =>
          expand(new Map(names.map((name) => [name, md.topics.get(name)?.partitions.length ?? 0] as const))),
        ),
      );
  });
}

/** ListOffsets for the partitions on one leader. */
function listOnLeader(
  ctx: AdminContext,
  spec: OffsetSpec,
  isolationLevel: number,
): (broker: BrokerAddress, items: readonly PartitionOf[]) => Observable<ListedOffset[]> {
  const timestamp = specTimestamp(spec);
  return (broker, items) =>
    ctx.cluster
      .request(
        broker,
        ListOffsets,
        {
          replicaId: -1,
          isolationLevel,
          topics: groupByTopic(items).map(([name, list]) => ({
            name,
            partitions: list.map((tp) => ({
              partitionIndex: tp.partition,
              currentLeaderEpoch: -1,
              timestamp,
            })),
          })),
          timeoutMs: ctx.config.requestTimeoutMs,
        },
        requestOptions(ctx),
      )
      .pipe(
        map((response) =>
          partitionResults(
            items,
            response.topics,
            ({ topic, partition }, answer) => ({
              topic,
              partition,
              offset: answer.offset,
              timestamp: Number(answer.timestamp),
              // leaderEpoch is v4+; -1 is Kafka's "unknown".
              leaderEpoch: answer.leaderEpoch ?? -1,
            }),
            failedOffset,
          ),
        ),
      );
}

function failedOffset(tp: PartitionOf, error: KafkaRxError): ListedOffset {
  return { topic: tp.topic, partition: tp.partition, offset: -1n, timestamp: -1, leaderEpoch: -1, error };
}

/**
 * ListOffsets to each partition's leader: one offset per partition, in the order asked (a topic name
 * expands to its partitions in order). Partitions whose leader moved are asked again.
 */
export function listOffsets$(
  ctx: AdminContext,
  items: PartitionsOrTopics,
  spec: OffsetSpec = 'latest',
  options: ListOffsetsOptions = {},
): Observable<ListedOffset[]> {
  const isolationLevel = options.isolationLevel === 'read_committed' ? 1 : 0;
  return expandTopics(ctx, items).pipe(
    switchMap((partitions) =>
      retryItems(
        partitions,
        toLeaders(ctx, listOnLeader(ctx, spec, isolationLevel), failedOffset),
        ctx.retry,
      ),
    ),
  );
}
