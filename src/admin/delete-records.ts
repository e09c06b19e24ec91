import { map, type Observable } from 'rxjs';
import type { KafkaRxError } from '../errors';
import { DeleteRecords } from '../protocol/specs';
import type { BrokerAddress } from '../transport/transport';
import { requestOptions, type AdminContext } from './admin-context';
import { partitionResults } from './partition-results';
import { retryItems } from './retry-items';
import { toLeaders } from './to-leaders';
import { groupByTopic, type PartitionOf } from './topic-partition';

export interface RecordsToDelete extends PartitionOf {
  /** Records before this offset are deleted; -1 deletes up to the high watermark. */
  readonly before: bigint | number;
}

export interface DeletedRecords extends PartitionOf {
  /** The partition's log start offset after the deletion; -1 on error. */
  readonly lowWatermark: bigint;
  readonly error?: KafkaRxError;
}

function failed(tp: PartitionOf, error: KafkaRxError): DeletedRecords {
  return { topic: tp.topic, partition: tp.partition, lowWatermark: -1n, error };
}

function deleteOnLeader(ctx: AdminContext) {
  return (broker: BrokerAddress, items: readonly RecordsToDelete[]): Observable<DeletedRecords[]> =>
    ctx.cluster
      .request(
        broker,
        DeleteRecords,
        {
          topics: groupByTopic(items).map(([name, list]) => ({
            name,
            partitions: list.map((r) => ({ partitionIndex: r.partition, offset: BigInt(r.before) })),
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
            ({ topic, partition }, answer) => ({ topic, partition, lowWatermark: answer.lowWatermark }),
            failed,
          ),
        ),
      );
}

/** DeleteRecords to each partition's leader: moves log start offsets forward. One result per item, in order. */
export function deleteRecords$(
  ctx: AdminContext,
  items: readonly RecordsToDelete[],
): Observable<DeletedRecords[]> {
  return retryItems(items, toLeaders(ctx, deleteOnLeader(ctx), failed), ctx.retry);
}
