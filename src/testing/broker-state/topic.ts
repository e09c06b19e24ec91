import { createHash } from 'node:crypto';
import { PartitionLog } from './partition-log';
import { ProducerStateTable } from './producer-state';

/** One partition of a fake topic: its log, its idempotent producers, and who leads it. */
export interface PartitionState {
  readonly topic: string;
  readonly index: number;
  readonly log: PartitionLog;
  readonly producers: ProducerStateTable;
  /** Node id of the leader; -1 while none of its replicas is up. */
  leader: number;
  /** Raised on every leader change, as Kafka's controller does. */
  leaderEpoch: number;
  replicas: number[];
}

export interface TopicState {
  readonly name: string;
  /** A UUID derived from the name, so a test sees the same id every run. */
  readonly topicId: string;
  readonly partitions: PartitionState[];
  /** Configs set on the topic (the rest have their defaults): Kafka's DYNAMIC_TOPIC_CONFIG. */
  readonly configs: Map<string, string>;
}

/** A stable v4-shaped UUID for a topic name. */
export function topicIdFor(name: string): string {
  const hex = createHash('sha256').update(`topic:${name}`).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Kafka's rule for topic names: 1-249 characters of [a-zA-Z0-9._-], not `.` or `..`. */
export function isValidTopicName(name: string): boolean {
  return (
    name.length > 0 && name.length <= 249 && /^[a-zA-Z0-9._-]+$/.test(name) && name !== '.' && name !== '..'
  );
}

/** Partition `index` of a topic: a leader round-robin from `firstBroker`, and `replicationFactor` replicas. */
function newPartition(
  topic: string,
  index: number,
  brokerCount: number,
  firstBroker: number,
  replicationFactor: number,
): PartitionState {
  const leader = (firstBroker + index) % brokerCount;
  return {
    topic,
    index,
    log: new PartitionLog(),
    producers: new ProducerStateTable(),
    leader,
    leaderEpoch: 0,
    replicas: Array.from({ length: replicationFactor }, (_, r) => (leader + r) % brokerCount),
  };
}

/**
 * A topic with `partitionCount` partitions over brokers `0..brokerCount-1`: leaders round-robin
 * from `firstBroker`, each partition replicated on `replicationFactor` brokers (default: up to three).
 */
export function createTopicState(
  name: string,
  partitionCount: number,
  brokerCount: number,
  firstBroker: number,
  replicationFactor = Math.min(3, brokerCount),
): TopicState {
  const partitions = Array.from({ length: partitionCount }, (_, index) =>
    newPartition(name, index, brokerCount, firstBroker, replicationFactor),
  );
  return { name, topicId: topicIdFor(name), partitions, configs: new Map() };
}

/** Grows a topic to `count` partitions; the new ones are placed as its first ones were. */
export function addPartitions(topic: TopicState, count: number, brokerCount: number): PartitionState[] {
  const first = topic.partitions[0];
  const firstBroker = first === undefined ? 0 : first.replicas[0];
  const replicationFactor = first === undefined ? Math.min(3, brokerCount) : first.replicas.length;
  const added: PartitionState[] = [];
  for (let index = topic.partitions.length; index < count; index++) {
    const p = newPartition(topic.name, index, brokerCount, firstBroker, replicationFactor);
    topic.partitions.push(p);
    added.push(p);
  }
  return added;
}
