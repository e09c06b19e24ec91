import { map, type Observable } from 'rxjs';
import { metadataRequest } from '../cluster/metadata-response';
import type { KafkaRxError } from '../errors';
import type { Message } from '../protocol/spec';
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
export function topicDescription(name: string, topic: Message | undefined): TopicDescription {
  if (topic === undefined) return { name, error: itemError(3, name) };
  const error = itemError(topic.errorCode, name);
  if (error) return { name, error };
  const partitions = (topic.partitions as Message[])
    .map((p) => ({
      partition: p.partitionIndex as number,
      leader: p.leaderId as number,
      leaderEpoch: (p.leaderEpoch as number | undefined) ?? -1,
      replicas: (p.replicaNodes as number[]) ?? [],
      isr: (p.isrNodes as number[]) ?? [],
      offlineReplicas: (p.offlineReplicas as number[] | undefined) ?? [],
    }))
    .sort((a, b) => a.partition - b.partition);
  return { name, topicId: topic.topicId, internal: topic.isInternal ?? false, partitions };
}

/** A Metadata request to any broker for these topics (`null`: all of them). */
export function topicMetadata$(ctx: AdminContext, names: readonly string[] | null): Observable<Message> {
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
            (response.topics as Message[]).find((t) => t.name === name),
          ),
        ),
      ),
    );
  return retryItems(names, send, ctx.retry);
}
