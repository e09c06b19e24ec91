import { map, type Observable } from 'rxjs';
import type { KafkaRxError } from '../errors';
import type { RequestOf, ResponseOf } from '../protocol/spec-types';
import { CreateTopics } from '../protocol/specs';
import { requestOptions, type AdminContext } from './admin-context';
import { itemError } from './item-error';
import { retryItems } from './retry-items';

/** A topic to create: a partition count and replication factor (broker defaults when left out), or replicas per partition. */
export interface NewTopic {
  readonly name: string;
  /** Default: the broker's `num.partitions`. */
  readonly partitions?: number;
  /** Default: the broker's `default.replication.factor`. */
  readonly replicationFactor?: number;
  /** The broker ids of each partition's replicas, the preferred leader first; index = partition. Excludes the two above. */
  readonly replicaAssignment?: ReadonlyArray<readonly number[]>;
  /** Topic configs, e.g. `{ 'cleanup.policy': 'compact' }`. */
  readonly configs?: Readonly<Record<string, string>>;
}

export interface CreateTopicsOptions {
  /** Only check that the topics could be created. */
  readonly validateOnly?: boolean;
}

export interface CreateTopicResult {
  readonly name: string;
  /** The new topic's id (absent with `validateOnly`, or on error). */
  readonly topicId?: string;
  readonly partitions?: number;
  readonly replicationFactor?: number;
  readonly error?: KafkaRxError;
}

const NO_TOPIC_ID = '00000000-0000-0000-0000-000000000000';

function creatableTopic(topic: NewTopic): RequestOf<typeof CreateTopics>['topics'][number] {
  const assignment = topic.replicaAssignment;
  return {
    name: topic.name,
    numPartitions: assignment ? -1 : (topic.partitions ?? -1),
    replicationFactor: assignment ? -1 : (topic.replicationFactor ?? -1),
    assignments: (assignment ?? []).map((brokerIds, partitionIndex) => ({ partitionIndex, brokerIds })),
    configs: Object.entries(topic.configs ?? {}).map(([name, value]) => ({ name, value })),
  };
}

function toResult(
  name: string,
  answer: ResponseOf<typeof CreateTopics>['topics'][number] | undefined,
): CreateTopicResult {
  if (answer === undefined) return { name, error: itemError(-1, name, 'no result for this topic') };
  const error = itemError(answer.errorCode, name, answer.errorMessage);
  if (error) return { name, error };
  return {
    name,
    ...(answer.topicId && answer.topicId !== NO_TOPIC_ID ? { topicId: answer.topicId } : {}),
    // Both are v5+; -1 when the broker does not say.
    ...((answer.numPartitions ?? -1) >= 0 ? { partitions: answer.numPartitions } : {}),
    ...((answer.replicationFactor ?? -1) >= 0 ? { replicationFactor: answer.replicationFactor } : {}),
  };
}

/**
 * CreateTopics, to any broker (KRaft brokers forward it to the controller). Topics whose answer is
 * retriable (NOT_CONTROLLER, ...) are asked again; the others keep their answer.
 */
export function createTopics$(
  ctx: AdminContext,
  topics: readonly NewTopic[],
  options: CreateTopicsOptions = {},
): Observable<CreateTopicResult[]> {
  const send = (batch: readonly NewTopic[]): Observable<CreateTopicResult[]> =>
    ctx.cluster
      .requestAny(
        CreateTopics,
        {
          topics: batch.map(creatableTopic),
          timeoutMs: ctx.config.requestTimeoutMs,
          validateOnly: options.validateOnly ?? false,
        },
        requestOptions(ctx),
      )
      .pipe(
        map((response) => {
          const answers = response.topics;
          // A name given twice gets one answer per occurrence; hand them out in order.
          const used = new Set<(typeof answers)[number]>();
          return batch.map((topic) => {
            const answer = answers.find((a) => a.name === topic.name && !used.has(a));
            if (answer) used.add(answer);
            return toResult(topic.name, answer);
          });
        }),
      );
  return retryItems(topics, send, ctx.retry);
}
