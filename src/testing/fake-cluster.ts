import {
  filter,
  map,
  merge,
  mergeMap,
  race,
  Subject,
  take,
  throwError,
  type Observable,
  type Subscription,
} from 'rxjs';
import {
  decodeRecords,
  encodeRecordBatch,
  type DecodedRecord,
  type ProducerRecordInput,
} from '../protocol/records';
import { defaultClock, now, type Clock } from '../time/clock';
import { connectionError } from '../transport/errors';
import type { BrokerAddress, FrameHandler } from '../transport/transport';
import { readBatchHeader } from './broker-state/batch-header';
import { ClusterState, MEMORY_PORT, memoryHost } from './broker-state/cluster-state';
import { FakeClusterError } from './fake-cluster-error';
import type { Faults, HeartbeatFilter } from './faults';
import type { ConsumerGroupDescription } from './consumer-group-coordinator/consumer-group-coordinator';
import type { ShareGroupDescription } from './share-group-coordinator/share-group-coordinator';
import type { SharePartitionDescription } from './share-group-coordinator/share-partition';
import type { GroupDescription } from './group-coordinator/group-coordinator';
import type { GroupEvent } from './group-coordinator/group-event';
import { dispatchFrame } from './request-dispatch';
import { TcpListener } from './tcp-listener';

export interface FakeClusterOptions {
  /** Number of brokers, with node ids 0..n-1. Default 1. */
  readonly brokers?: number;
  /** Topics to create: `[{ name, partitions }]` or `{ name: partitions }`. */
  readonly topics?: ReadonlyArray<{ name: string; partitions: number }> | Readonly<Record<string, number>>;
  /** Drives fetch waits, session and rebalance timeouts, delays. Default: wall-clock time. */
  readonly clock?: Clock;
  /** Create unknown topics on Metadata requests that allow it (Kafka's default: true). */
  readonly autoCreateTopics?: boolean;
  /** Partitions of an auto-created topic. Default 1. */
  readonly defaultPartitions?: number;
  readonly clusterId?: string;
  /** Largest batch a partition accepts. Default 1048588 (Kafka's message.max.bytes). */
  readonly maxMessageBytes?: number;
  /** group.min.session.timeout.ms. Default 6000. */
  readonly minSessionTimeoutMs?: number;
  /** group.max.session.timeout.ms. Default 1800000. */
  readonly maxSessionTimeoutMs?: number;
  /** group.initial.rebalance.delay.ms. Default 0 (Kafka's is 3000). */
  readonly initialRebalanceDelayMs?: number;
  /** group.consumer.session.timeout.ms, for KIP-848 consumer groups. Default 45000. */
  readonly consumerGroupSessionTimeoutMs?: number;
  /** group.consumer.heartbeat.interval.ms, for KIP-848 consumer groups. Default 5000. */
  readonly consumerGroupHeartbeatIntervalMs?: number;
  /**
   * group.coordinator.rebalance.protocols. Default all three; `['classic']` is a broker without
   * KIP-848 (Kafka before 4.0): ApiVersions does not list ConsumerGroupHeartbeat; without `'share'`
   * (share groups off, or Kafka before 4.1) it does not list ShareGroupHeartbeat, ShareFetch and ShareAcknowledge.
   */
  readonly groupProtocols?: ReadonlyArray<'classic' | 'consumer' | 'share'>;
  /** group.share.session.timeout.ms. Default 45000. */
  readonly shareGroupSessionTimeoutMs?: number;
  /** group.share.heartbeat.interval.ms. Default 5000. */
  readonly shareGroupHeartbeatIntervalMs?: number;
  /** group.share.record.lock.duration.ms: how long a member holds an acquired record. Default 30000. */
  readonly shareRecordLockDurationMs?: number;
  /** group.share.delivery.count.limit: deliveries before a record is archived instead. Default 5. */
  readonly shareDeliveryCountLimit?: number;
  /**
   * share.auto.offset.reset of groups that do not set it (Kafka: `latest`, per group only). A group
   * sets its own with IncrementalAlterConfigs on its GROUP resource, as on Kafka.
   */
  readonly shareAutoOffsetReset?: 'latest' | 'earliest';
}

/** A record to put straight into a partition's log. */
export interface FakeRecordInput {
  readonly key?: Buffer | string | null;
  readonly value: Buffer | string | null;
  readonly headers?: ReadonlyArray<[string, Buffer | string | null]>;
  /** Default: now on the cluster's clock. */
  readonly timestamp?: number;
}

/** A committed offset of a group, as a test reads it. */
export interface FakeCommittedOffset {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
  readonly leaderEpoch: number;
  readonly metadata: string | null;
}

/** The groups of a fake cluster, as a test inspects them. */
export interface FakeGroups {
  list(): GroupDescription[];
  describe(groupId: string): GroupDescription | undefined;
  /** Members joining, expiring and leaving, rebalances, generations (group epochs) and commits, as they happen. */
  readonly events$: Observable<GroupEvent>;
  /** A KIP-848 consumer group (`groupProtocol: 'consumer'`): epochs, members, assignments and targets. */
  describeConsumerGroup(groupId: string): ConsumerGroupDescription | undefined;
  /** A share group (`createShareConsumer`): its epoch, members and their assignments. */
  describeShareGroup(groupId: string): ShareGroupDescription | undefined;
  /** A share group's view of one partition once fetched: its start offset and each in-flight record's state. */
  describeSharePartition(
    groupId: string,
    topic: string,
    partition: number,
  ): SharePartitionDescription | undefined;
}

/**
 * An in-process Kafka cluster for tests: the broker side of kafka-rx's protocol specs, with
 * topics, logs, offsets and a group coordinator. Reach it through the memory transport
 * (`createMemoryTransport({ handler: cluster.handler, clock })`, virtual time) or over TCP
 * after `listen()`, and break it on purpose with `faults`, `brokerDown` and `moveLeader`.
 */
export interface FakeCluster {
  /** The brokers for the memory transport. */
  readonly handler: FrameHandler;
  /** Memory-transport addresses of the brokers: `fake-0:9092`, ... */
  readonly bootstrap: string[];
  readonly clock: Clock;
  readonly faults: Faults;
  readonly groups: FakeGroups;
  /** Starts one TCP listener per broker on 127.0.0.1 (ephemeral ports); Metadata over TCP advertises them. */
  listen(): Promise<{ brokers: string[] }>;
  /** Stops the TCP listeners and every timer. */
  close(): Promise<void>;
  createTopic(name: string, partitions?: number): void;
  /** Appends records to a partition as one batch, as if produced; returns the first offset. */
  append(topic: string, partition: number, records: readonly FakeRecordInput[]): bigint;
  /** The records in a partition's log, decoded. */
  records(topic: string, partition: number): DecodedRecord[];
  /** logStartOffset, highWatermark and lastStableOffset (where the first open transaction starts) of a partition. */
  offsets(
    topic: string,
    partition: number,
  ): { logStartOffset: bigint; highWatermark: bigint; lastStableOffset: bigint };
  /** Deletes records below `offset` (Kafka's DeleteRecords): fetching below it is OFFSET_OUT_OF_RANGE. */
  deleteRecords(topic: string, partition: number, offset: bigint): void;
  /** A group's committed offsets, sorted by topic and partition. */
  committedOffsets(groupId: string): FakeCommittedOffset[];
  /**
   * The broker stops: connections drop and new ones are refused. Once the controller fences it (at
   * once by default, as after a clean shutdown; after `fencedAfterMs` on the cluster's clock for a
   * broker that was killed, Kafka's broker.session.timeout.ms) it leaves Metadata, and its partitions
   * and groups move to live brokers; until then Metadata and FindCoordinator still name it. The
   * promise settles once its TCP listener (if any) is closed.
   */
  brokerDown(nodeId: number, options?: { readonly fencedAfterMs?: number }): Promise<void>;
  /** The broker is back (on the same TCP port); the promise settles once it listens again. */
  brokerUp(nodeId: number): Promise<void>;
  /** Makes `nodeId` the leader of a partition (raising its leader epoch). */
  moveLeader(topic: string, partition: number, nodeId: number): void;
  /** Loses the heartbeats of a member (or of those a predicate picks); returns an undo. */
  dropHeartbeats(filter: HeartbeatFilter): () => void;
}

function topicList(topics: FakeClusterOptions['topics']): Array<{ name: string; partitions: number }> {
  if (topics === undefined) return [];
  if (Array.isArray(topics)) return [...topics];
  return Object.entries(topics as Record<string, number>).map(([name, partitions]) => ({ name, partitions }));
}

function toBuffer(value: Buffer | string | null | undefined): Buffer | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? Buffer.from(value) : value;
}

/** The node id a memory-transport address names, or undefined. */
function nodeIdOf(broker: BrokerAddress, brokerCount: number): number | undefined {
  const match = /^fake-(\d+)$/.exec(broker.host);
  if (match === null || broker.port !== MEMORY_PORT) return undefined;
  const nodeId = Number(match[1]);
  return nodeId < brokerCount ? nodeId : undefined;
}

/** Creates a fake cluster; see `FakeCluster`. */
export function createFakeCluster(options: FakeClusterOptions = {}): FakeCluster {
  const clock = options.clock ?? defaultClock;
  const state = new ClusterState({
    brokerCount: options.brokers ?? 1,
    clock,
    clusterId: options.clusterId ?? 'kafka-rx-fake-cluster',
    autoCreateTopics: options.autoCreateTopics ?? true,
    defaultPartitions: options.defaultPartitions ?? 1,
    maxMessageBytes: options.maxMessageBytes ?? 1048588,
    group: {
      minSessionTimeoutMs: options.minSessionTimeoutMs ?? 6000,
      maxSessionTimeoutMs: options.maxSessionTimeoutMs ?? 1800000,
      initialRebalanceDelayMs: options.initialRebalanceDelayMs ?? 0,
    },
    groupProtocols: options.groupProtocols ?? ['classic', 'consumer', 'share'],
    consumerGroup: {
      sessionTimeoutMs: options.consumerGroupSessionTimeoutMs ?? 45000,
      heartbeatIntervalMs: options.consumerGroupHeartbeatIntervalMs ?? 5000,
    },
    shareGroup: {
      sessionTimeoutMs: options.shareGroupSessionTimeoutMs ?? 45000,
      heartbeatIntervalMs: options.shareGroupHeartbeatIntervalMs ?? 5000,
      recordLockDurationMs: options.shareRecordLockDurationMs ?? 30000,
      deliveryCountLimit: options.shareDeliveryCountLimit ?? 5,
      autoOffsetReset: options.shareAutoOffsetReset ?? 'latest',
    },
  });
  for (const { name, partitions } of topicList(options.topics)) state.createTopic(name, partitions);

  const down$ = new Subject<number>();
  /** The controller's pending fencing of each broker that was killed. */
  const fencings = new Map<number, Subscription>();
  const listeners = state.brokers.map(
    (broker) =>
      new TcpListener((frame, clientHost) =>
        dispatchFrame(state, { nodeId: broker.nodeId, listener: 'tcp', clientHost }, frame),
      ),
  );

  const handler: FrameHandler = (broker, request) => {
    const nodeId = nodeIdOf(broker, state.brokers.length);
    if (nodeId === undefined)
      return throwError(() => connectionError(broker, 'refused: no such fake broker'));
    if (!state.brokers[nodeId].up)
      return throwError(() => connectionError(broker, `refused: fake broker ${nodeId} is down`));
    const response$ = dispatchFrame(
      state,
      { nodeId, listener: 'memory', clientHost: '/memory' },
      request,
    ).pipe(map((frame) => frame?.subarray(4)));
    // A broker that goes down drops its connections, and with them the requests it holds.
    const dropped$ = down$.pipe(
      filter((id) => id === nodeId),
      take(1),
      mergeMap(() => throwError(() => connectionError(broker, `closed: fake broker ${nodeId} went down`))),
    );
    return race(response$, dropped$);
  };

  const partitionOf = (topic: string, partition: number) => {
    const p = state.partition(topic, partition);
    if (p === undefined) throw new FakeClusterError(`no partition ${topic}-${partition}`);
    return p;
  };

  return {
    handler,
    bootstrap: state.brokers.map((b) => `${memoryHost(b.nodeId)}:${MEMORY_PORT}`),
    clock,
    faults: state.faults,
    groups: {
      list: () => state.coordinator.list(),
      describe: (groupId) => state.coordinator.describe(groupId),
      events$: merge(state.coordinator.events$, state.consumerGroups.events$, state.shareGroups.events$),
      describeConsumerGroup: (groupId) => state.consumerGroups.describe(groupId),
      describeShareGroup: (groupId) => state.shareGroups.describe(groupId),
      describeSharePartition: (groupId, topic, partition) =>
        state.sharePartitions.existing(groupId, topic, partition)?.describe(),
    },
    async listen() {
      for (const [nodeId, listener] of listeners.entries()) {
        const broker = state.brokers[nodeId];
        broker.tcpPort = await listener.listen(broker.tcpPort ?? 0);
        if (!broker.up) await listener.close();
      }
      return { brokers: state.brokers.map((b) => `127.0.0.1:${b.tcpPort}`) };
    },
    async close() {
      await Promise.all(listeners.map((l) => l.close()));
      state.coordinator.close();
      state.consumerGroups.close();
      state.shareGroups.close();
      state.sharePartitions.close();
      state.transactions.close();
      for (const fencing of fencings.values()) fencing.unsubscribe();
      down$.complete();
    },
    createTopic(name, partitions = 1) {
      state.createTopic(name, partitions);
    },
    append(topic, partition, records) {
      const p = partitionOf(topic, partition);
      if (records.length === 0) throw new FakeClusterError('append needs at least one record');
      const inputs: ProducerRecordInput[] = records.map((r) => ({
        key: toBuffer(r.key),
        value: toBuffer(r.value),
        headers: (r.headers ?? []).map(([k, v]): [string, Buffer | null] => [k, toBuffer(v)]),
        timestamp: r.timestamp ?? now(clock),
      }));
      const batch = encodeRecordBatch(inputs);
      const baseOffset = p.log.append(batch, readBatchHeader(batch), p.leaderEpoch);
      state.appended$.next(p);
      return baseOffset;
    },
    records(topic, partition) {
      const { log } = partitionOf(topic, partition);
      const bytes = log.read(log.logStartOffset, Number.MAX_SAFE_INTEGER);
      return decodeRecords(bytes, { fromOffset: log.logStartOffset }).records;
    },
    offsets(topic, partition) {
      const { log } = partitionOf(topic, partition);
      return {
        logStartOffset: log.logStartOffset,
        highWatermark: log.highWatermark,
        lastStableOffset: log.lastStableOffset,
      };
    },
    deleteRecords(topic, partition, offset) {
      partitionOf(topic, partition).log.deleteBefore(offset);
    },
    committedOffsets(groupId) {
      const result: FakeCommittedOffset[] = [];
      for (const [topic, partitions] of state.coordinator.committedOffsets(groupId)) {
        for (const [partition, c] of partitions) {
          result.push({
            topic,
            partition,
            offset: c.offset,
            leaderEpoch: c.leaderEpoch,
            metadata: c.metadata,
          });
        }
      }
      return result.sort((a, b) =>
        a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1,
      );
    },
    brokerDown(nodeId, downOptions) {
      const fencedAfterMs = downOptions?.fencedAfterMs ?? 0;
      if (!Number.isFinite(fencedAfterMs) || fencedAfterMs < 0)
        throw new FakeClusterError(`fencedAfterMs must be a number of ms >= 0, not ${fencedAfterMs}`);
      state.brokerDown(nodeId);
      down$.next(nodeId);
      fencings.get(nodeId)?.unsubscribe();
      if (fencedAfterMs === 0) state.fence(nodeId);
      else
        fencings.set(
          nodeId,
          clock.schedule(() => state.fence(nodeId), fencedAfterMs),
        );
      return listeners[nodeId].close();
    },
    async brokerUp(nodeId) {
      fencings.get(nodeId)?.unsubscribe();
      fencings.delete(nodeId);
      state.brokerUp(nodeId);
      const broker = state.brokers[nodeId];
      if (broker.tcpPort !== undefined) await listeners[nodeId].listen(broker.tcpPort);
    },
    moveLeader(topic, partition, nodeId) {
      state.moveLeader(topic, partition, nodeId);
    },
    dropHeartbeats(filter) {
      return state.faults.dropHeartbeats(filter);
    },
  };
}
