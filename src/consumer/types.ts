import type { Observable } from 'rxjs';
import type { KafkaRxError } from '../errors';
import type { BrokerAddress } from '../transport/transport';
import type { MembershipPhase } from './membership/state';
import type { Eager } from '../eager';

/** One partition of a topic. */
export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/** A partition and an offset: the next offset to consume, as Kafka commits it. */
export interface TopicPartitionOffset extends TopicPartition {
  readonly offset: bigint;
}

/** A record as the application receives it. */
export interface ConsumerRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
  /** Milliseconds since the epoch (create time or log-append time, as the batch says). */
  readonly timestamp: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Array<[string, Buffer | null]>;
  /**
   * Marks the record as processed. With `autoCommit: { ackMode: 'manual' }` only acknowledged
   * records are committed (up to the first one not yet acknowledged); otherwise a no-op.
   */
  ack(): void;
}

/** The records of one assigned partition, in offset order; completes when the partition is revoked or lost. */
export interface PartitionStream {
  readonly topic: string;
  readonly partition: number;
  readonly records$: Observable<ConsumerRecord>;
}

/** What caused an offset commit. */
export type CommitTrigger = 'auto' | 'manual' | 'revoke' | 'close';

/** A completed OffsetCommit: the offsets sent, and the first error, if any partition failed. */
export interface CommitResult {
  readonly offsets: readonly TopicPartitionOffset[];
  readonly error?: KafkaRxError;
  readonly trigger: CommitTrigger;
}

/** A change of the partitions this consumer owns. `lost` means they were taken away without a chance to commit. */
export interface RebalanceEvent {
  readonly type: 'assigned' | 'revoked' | 'lost';
  readonly partitions: readonly TopicPartition[];
}

/** Instrumentation: what the consumer is doing, for logs and metrics. */
export type ConsumerEvent =
  | { readonly type: 'connect'; readonly broker: BrokerAddress }
  | { readonly type: 'request'; readonly api: string; readonly broker: BrokerAddress }
  | { readonly type: 'membership'; readonly phase: MembershipPhase; readonly reason: string }
  | {
      readonly type: 'join';
      readonly memberId: string;
      readonly generationId: number;
      readonly leader: boolean;
      readonly protocol: string | null;
    }
  | { readonly type: 'sync'; readonly generationId: number; readonly assignment: readonly TopicPartition[] }
  | { readonly type: 'heartbeat'; readonly generationId: number; readonly errorCode: number }
  | { readonly type: 'coordinator-dead'; readonly reason: string }
  | {
      readonly type: 'fetch';
      readonly broker: BrokerAddress;
      readonly partitions: number;
      readonly records: number;
      readonly bytes: number;
    }
  | {
      readonly type: 'offset-reset';
      readonly topic: string;
      readonly partition: number;
      readonly offset: bigint;
      readonly reason: string;
    }
  | { readonly type: 'leave'; readonly reason: string }
  | { readonly type: 'error'; readonly error: KafkaRxError };

/**
 * Who this member is in its group now, as a transactional producer's `sendOffsetsToTransaction`
 * needs it: the coordinator refuses offsets from a member of an older generation.
 */
export interface ConsumerGroupMetadata {
  readonly groupId: string;
  /** -1 while not a member. */
  readonly generationId: number;
  /** '' while not a member. */
  readonly memberId: string;
  readonly groupInstanceId: string | null;
}

/** A group member consuming with RxJS streams (see the README, "Consuming"). */
export interface Consumer {
  /** Every record of every assigned partition; subscribing joins the group, unsubscribing commits and leaves. */
  readonly messages$: Observable<ConsumerRecord>;
  /** One stream per assigned partition, completed on revoke; subscribing joins the group like `messages$`. */
  readonly partitions$: Observable<PartitionStream>;
  /** Hot: every completed offset commit. Never errors; completes on close. */
  readonly commits$: Observable<CommitResult>;
  /** Hot: partitions assigned, revoked or lost. Completes on close. */
  readonly rebalances$: Observable<RebalanceEvent>;
  /** Hot: instrumentation events. Completes on close. */
  readonly events$: Observable<ConsumerEvent>;
  /**
   * Commits the given offsets, or everything consumed so far. Eager: the commit starts at the call,
   * whether or not anyone subscribes. The result emits the outcome once it is done (a failed
   * commit is a value with `error`, as on `commits$`), replays it to late subscribers, and can be
   * awaited: `const result = await consumer.commit()`.
   */
  commit(offsets?: readonly TopicPartitionOffset[]): Eager<CommitResult>;
  /** Stops fetching and delivering these partitions until `resume`. */
  pause(partitions: readonly TopicPartition[]): void;
  resume(partitions: readonly TopicPartition[]): void;
  /** Fetches this partition from `offset` next; buffered records of it are dropped. */
  seek(partition: TopicPartition, offset: bigint): void;
  /** The group, generation and member id now (for `Producer.sendOffsetsToTransaction`). */
  groupMetadata(): ConsumerGroupMetadata;
  /** Commits, leaves the group and closes connections. */
  close(): Promise<void>;
}
