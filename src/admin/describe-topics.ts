import { map, type Observable } from 'rxjs';
import { metadataRequest, partitionPlacement } from '../cluster/metadata-response';
import type { KafkaRxError } from '../errors';
import type { ResponseOf } from '../protocol/spec-types';
import { Metadata } from '../protocol/specs';
import { requestOptions, type AdminContext } from './admin-context';
import { itemError } from './item-error';
import { retryItems } from './retry-items';

export interface PartitionDescription {
  readonly partition: number;
  /** Node id of the leader; -1 while there is none. */
  readonly leader: number;
  readonly leaderEpoch: number;
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
  readonly offlineReplicas: readonly number[];
}

export interface TopicDescription {
  readonly name: string;
  readonly topicId?: string;
  /** Kafka's own topics (`__consumer_offsets`, ...). */
  readonly internal?: boolean;
  /** In partition order. */
  readonly partitions?: readonly PartitionDescription[];
  readonly error?: KafkaRxError;
}

/** A Metadata response topic as a description (partitions in index order). */
export function topicDescription(
  name: string,
  topic: ResponseOf<typeof Metadata>['topics'][number] | undefined,
): TopicDescription {
  if (topic === undefined) return { name, error: itemError(3, name) };
  const error = itemError(topic.errorCode, name);
  if (error) return { name, error };
  const partitions = topic.partitions
    .map((p) => ({ ...partitionPlacement(p), offlineReplicas: p.offlineReplicas ?? [] }))
    .sort((a, b) => a.partition - b.partition);
  return { name, topicId: topic.topicId, internal: topic.isInternal ?? false, partitions };
}

/** A Metadata request to any broker for these topics (`null`: all of them). */
export function topicMetadata$(
  ctx: AdminContext,
  names: readonly string[] | null,
): Observable<ResponseOf<typeof Metadata>> {
  return ctx.cluster.requestAny(Metadata, metadataRequest(names, false), requestOptions(ctx));
}

/**
 * Partitions, leaders, replicas and ISR of topics, from a Metadata request to any broker. A topic
 * whose leaders are not elected yet (LEADER_NOT_AVAILABLE) is asked again; an unknown one is reported.
 */
export function describeTopics$(ctx: AdminContext, names: readonly string[]): Observable<TopicDescription[]> {
  const send = (batch: readonly string[]): Observable<TopicDescription[]> =>
    topicMetadata$(ctx, batch).pipe(
      map((response) =>
        batch.map((name) =>
          topicDescription(
            name,
            response.topics.find((t) => t.name === name),
          ),
        ),
      ),
    );
  return retryItems(names, send, ctx.retry);
}
