import { Subject } from 'rxjs';
import type { Clock } from '../../time/clock';
import { FakeClusterError } from '../fake-cluster-error';
import { Faults } from '../faults';
import {
  ConsumerGroupCoordinator,
  type ConsumerGroupCoordinatorConfig,
} from '../consumer-group-coordinator/consumer-group-coordinator';
import { GroupCoordinator, type GroupCoordinatorConfig } from '../group-coordinator/group-coordinator';
import { ShareGroupCoordinator } from '../share-group-coordinator/share-group-coordinator';
import type { ShareGroupConfig } from '../share-group-coordinator/share-group-config';
import { SharePartitionManager } from '../share-group-coordinator/share-partition-manager';
import { TransactionCoordinator } from '../transaction-coordinator/transaction-coordinator';
import {
  addPartitions,
  createTopicState,
  isValidTopicName,
  type PartitionState,
  type TopicState,
} from './topic';

/** How a request reached the cluster; Metadata advertises the addresses of the same listener. */
export type Listener = 'memory' | 'tcp';

/** One fake broker. */
export interface FakeBroker {
  readonly nodeId: number;
  /** Running: it accepts connections. */
  up: boolean;
  /**
   * Fenced by the controller: gone from Metadata, its leaderships and coordination moved. A broker
   * shut down is fenced at once; one killed, only after the controller's broker session times out.
   */
  fenced: boolean;
  /** The TCP port once `listen()` has run. */
  tcpPort: number | undefined;
}

export interface ClusterStateConfig {
  readonly brokerCount: number;
  readonly clock: Clock;
  readonly clusterId: string;
  readonly autoCreateTopics: boolean;
  /** Partitions of an auto-created topic (Kafka's num.partitions). */
  readonly defaultPartitions: number;
  /** Largest record batch a partition accepts (Kafka's message.max.bytes, 1048588). */
  readonly maxMessageBytes: number;
  readonly group: GroupCoordinatorConfig;
  readonly consumerGroup: ConsumerGroupCoordinatorConfig;
  readonly shareGroup: ShareGroupConfig;
  /**
   * group.coordinator.rebalance.protocols: without 'consumer', ApiVersions leaves ConsumerGroupHeartbeat
   * out; without 'share', the share group APIs.
   */
  readonly groupProtocols: ReadonlyArray<'classic' | 'consumer' | 'share'>;
}

/** Host of fake broker `nodeId` on the in-memory listener, e.g. `fake-0`. */
export function memoryHost(nodeId: number): string {
  return `fake-${nodeId}`;
}

/** The port every fake broker has on the in-memory listener. */
export const MEMORY_PORT = 9092;

/** Kafka's Java String.hashCode, which decides a group's coordinator partition. */
function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/**
 * Everything the fake brokers share: the brokers and whether they are up, topics and their
 * logs, producer ids, and the group coordinator. Handlers read and change it.
 */
export class ClusterState {
  readonly brokers: FakeBroker[];
  readonly topics = new Map<string, TopicState>();
  readonly coordinator: GroupCoordinator;
  /** KIP-848 consumer groups (ConsumerGroupHeartbeat); their offsets live with the classic coordinator's. */
  readonly consumerGroups: ConsumerGroupCoordinator;
  /** Share groups (KIP-932): membership (ShareGroupHeartbeat). */
  readonly shareGroups: ShareGroupCoordinator;
  /** Share groups' partitions, group configs and share sessions (ShareFetch, ShareAcknowledge). */
  readonly sharePartitions: SharePartitionManager;
  readonly transactions: TransactionCoordinator;
  readonly faults = new Faults();
  /** Emits the partition after every append, so waiting Fetch requests can answer. */
  readonly appended$ = new Subject<PartitionState>();
  private nextProducerId = 0n;

  constructor(readonly config: ClusterStateConfig) {
    if (!Number.isInteger(config.brokerCount) || config.brokerCount < 1) {
      throw new FakeClusterError(`a fake cluster needs at least one broker, not ${config.brokerCount}`);
    }
    this.brokers = Array.from({ length: config.brokerCount }, (_, nodeId) => ({
      nodeId,
      up: true,
      fenced: false,
      tcpPort: undefined,
    }));
    this.coordinator = new GroupCoordinator(config.clock, config.group);
    this.consumerGroups = new ConsumerGroupCoordinator(
      config.clock,
      config.consumerGroup,
      () => new Map([...this.topics].map(([name, t]) => [name, t.partitions.length])),
    );
    this.sharePartitions = new SharePartitionManager(config.clock, config.shareGroup);
    this.shareGroups = new ShareGroupCoordinator(
      config.clock,
      config.shareGroup,
      () => new Map([...this.topics].map(([name, t]) => [name, t.partitions.length])),
      (groupId, memberId) => this.sharePartitions.releaseMember(groupId, memberId),
    );
    this.transactions = new TransactionCoordinator({
      clock: config.clock,
      allocateProducerId: () => this.allocateProducerId(),
      groups: this.coordinator,
      appended: (p) => this.appended$.next(p),
    });
  }

  get clock(): Clock {
    return this.config.clock;
  }

  createTopic(
    name: string,
    partitions: number,
    options: { replicationFactor?: number; configs?: ReadonlyMap<string, string> } = {},
  ): TopicState {
    if (!isValidTopicName(name)) throw new FakeClusterError(`invalid topic name ${JSON.stringify(name)}`);
    if (this.topics.has(name)) throw new FakeClusterError(`topic ${name} already exists`);
    if (!Number.isInteger(partitions) || partitions < 1) {
      throw new FakeClusterError(`topic ${name} needs at least one partition, not ${partitions}`);
    }
    const topic = createTopicState(
      name,
      partitions,
      this.brokers.length,
      this.topics.size % this.brokers.length,
      options.replicationFactor,
    );
    for (const [key, value] of options.configs ?? []) topic.configs.set(key, value);
    for (const p of topic.partitions) this.electLeader(p);
    this.topics.set(name, topic);
    return topic;
  }

  /** Deletes a topic with its logs; groups forget their offsets of it, as Kafka's coordinator does. */
  deleteTopic(name: string): void {
    if (!this.topics.delete(name)) throw new FakeClusterError(`no topic ${name}`);
    this.coordinator.forgetTopic(name);
  }

  /** Grows a topic to `count` partitions. */
  createPartitions(name: string, count: number): void {
    const topic = this.topics.get(name);
    if (topic === undefined) throw new FakeClusterError(`no topic ${name}`);
    for (const p of addPartitions(topic, count, this.brokers.length)) this.electLeader(p);
  }

  topicById(topicId: string): TopicState | undefined {
    for (const topic of this.topics.values()) if (topic.topicId === topicId) return topic;
    return undefined;
  }

  partition(topic: string, partition: number): PartitionState | undefined {
    return this.topics.get(topic)?.partitions[partition];
  }

  broker(nodeId: number): FakeBroker {
    const broker = this.brokers[nodeId];
    if (broker === undefined) throw new FakeClusterError(`no fake broker ${nodeId}`);
    return broker;
  }

  /** Where broker `nodeId` listens on `listener`. */
  address(nodeId: number, listener: Listener): { host: string; port: number } {
    if (listener === 'memory') return { host: memoryHost(nodeId), port: MEMORY_PORT };
    return { host: '127.0.0.1', port: this.broker(nodeId).tcpPort ?? 0 };
  }

  /** The broker coordinating a group (or transactional id): by hash, skipping fenced brokers; -1 if all are. */
  coordinatorFor(key: string): number {
    const n = this.brokers.length;
    const start = Math.abs(javaStringHash(key) % n);
    for (let i = 0; i < n; i++) {
      const nodeId = (start + i) % n;
      if (!this.brokers[nodeId].fenced) return nodeId;
    }
    return -1;
  }

  allocateProducerId(): bigint {
    return this.nextProducerId++;
  }

  /** The broker stops running; until it is fenced, Metadata and FindCoordinator still name it. */
  brokerDown(nodeId: number): void {
    this.broker(nodeId).up = false;
  }

  /** The controller fences a broker that stopped: its leaderships and coordination move to live brokers. */
  fence(nodeId: number): void {
    const broker = this.broker(nodeId);
    if (broker.up || broker.fenced) return;
    broker.fenced = true;
    for (const topic of this.topics.values())
      for (const p of topic.partitions) if (p.leader === nodeId) this.electLeader(p);
  }

  brokerUp(nodeId: number): void {
    const broker = this.broker(nodeId);
    broker.up = true;
    broker.fenced = false;
    for (const topic of this.topics.values())
      for (const p of topic.partitions) if (p.leader === -1) this.electLeader(p);
  }

  moveLeader(topic: string, partition: number, nodeId: number): void {
    const p = this.partition(topic, partition);
    if (p === undefined) throw new FakeClusterError(`no partition ${topic}-${partition}`);
    this.broker(nodeId);
    if (!p.replicas.includes(nodeId)) p.replicas = [nodeId, ...p.replicas];
    p.leader = nodeId;
    p.leaderEpoch += 1;
  }

  /** The first unfenced replica leads; -1 when every one is fenced. The epoch rises when the leader changes. */
  private electLeader(p: PartitionState): void {
    const live = p.replicas.find((id) => !this.brokers[id].fenced);
    const leader = live ?? -1;
    if (leader !== p.leader) {
      p.leader = leader;
      p.leaderEpoch += 1;
    }
  }
}
