import type { Metadata } from '../protocol/specs';
import type { RequestOf, ResponseOf } from '../protocol/spec-types';
import type { BrokerAddress } from '../transport/transport';
import type { ClusterMetadata, PartitionMetadata, TopicMetadata } from './cluster';

/** Topics Kafka keeps for itself (`__consumer_offsets`, ...): never matched by a topic pattern. */
export interface TopicMetadataWithFlags extends TopicMetadata {
  readonly isInternal: boolean;
}

const ZERO_UUID = '00000000-0000-0000-0000-000000000000';

/**
 * The body of a Metadata request (v1+): `null` asks for all topics, a list for those topics only
 * (an empty list for brokers only).
 */
export function metadataRequest(
  topics: readonly string[] | null,
  allowAutoTopicCreation: boolean,
): RequestOf<typeof Metadata> {
  return {
    topics: topics === null ? null : topics.map((name) => ({ topicId: ZERO_UUID, name })),
    allowAutoTopicCreation,
    includeClusterAuthorizedOperations: false,
    includeTopicAuthorizedOperations: false,
  };
}

type MetadataPartition = ResponseOf<typeof Metadata>['topics'][number]['partitions'][number];

/** Where a Metadata response puts a partition: its leader and epoch (-1 when unknown), replicas and ISR. */
export function partitionPlacement(
  p: MetadataPartition,
): Pick<PartitionMetadata, 'partition' | 'leader' | 'leaderEpoch' | 'replicas' | 'isr'> {
  return {
    partition: p.partitionIndex,
    leader: p.leaderId,
    leaderEpoch: p.leaderEpoch ?? -1,
    replicas: p.replicaNodes ?? [],
    isr: p.isrNodes ?? [],
  };
}

/** A decoded Metadata response as `ClusterMetadata` (partitions in index order). */
export function toClusterMetadata(body: ResponseOf<typeof Metadata>): ClusterMetadata {
  const brokers = new Map<number, BrokerAddress>();
  for (const broker of body.brokers) {
    brokers.set(broker.nodeId, { host: broker.host, port: broker.port, nodeId: broker.nodeId });
  }
  const topics = new Map<string, TopicMetadataWithFlags>();
  for (const topic of body.topics) {
    if (topic.name === null || topic.name === undefined) continue;
    const partitions: PartitionMetadata[] = topic.partitions
      .map((p) => ({ ...partitionPlacement(p), errorCode: p.errorCode }))
      .sort((a, b) => a.partition - b.partition);
    topics.set(topic.name, {
      name: topic.name,
      ...(topic.topicId && topic.topicId !== ZERO_UUID ? { topicId: topic.topicId } : {}),
      errorCode: topic.errorCode,
      partitions,
      isInternal: topic.isInternal ?? false,
    });
  }
  return {
    clusterId: body.clusterId ?? null,
    controllerId: body.controllerId ?? -1,
    brokers,
    topics,
  };
}

/**
 * The cache after a response: brokers from the response; its topics replace the cached ones, and a
 * response for all topics also drops topics that no longer exist.
 */
export function mergeMetadata(
  cached: ClusterMetadata | undefined,
  fresh: ClusterMetadata,
  allTopics: boolean,
): ClusterMetadata {
  if (cached === undefined || allTopics) return fresh;
  const topics = new Map(cached.topics);
  for (const [name, topic] of fresh.topics) topics.set(name, topic);
  return { ...fresh, topics };
}

/** The part of the metadata a caller asked for: named topics, topics matching a pattern, or all. */
export function selectTopics(
  metadata: ClusterMetadata,
  topics: readonly string[] | RegExp | undefined,
): ClusterMetadata {
  if (topics === undefined) return metadata;
  const selected = new Map<string, TopicMetadata>();
  if (topics instanceof RegExp) {
    for (const [name, topic] of metadata.topics) {
      if (!(topic as TopicMetadataWithFlags).isInternal && matches(topics, name)) selected.set(name, topic);
    }
  } else {
    for (const name of topics) {
      const topic = metadata.topics.get(name);
      if (topic !== undefined) selected.set(name, topic);
    }
  }
  return { ...metadata, topics: selected };
}

/** `RegExp.test` without the `lastIndex` trap of global and sticky patterns. */
function matches(pattern: RegExp, name: string): boolean {
  pattern.lastIndex = 0;
  return pattern.test(name);
}
