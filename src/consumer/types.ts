import type { Observable } from 'rxjs';
import type { KafkaRxError } from '../errors';
import type { BrokerAddress } from '../transport/transport';
import type { MembershipPhase } from './membership/membership-phase';
import type { Eager } from '../eager';
import type { DeserializationError } from '../serde/deserialization-error';

/** One partition of a topic. */
export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/** A partition and an offset: the next offset to consume, as Kafka commits it. */
export interface TopicPartitionOffset extends TopicPartition {
  readonly offset: bigint;
}

/**
 * A record as the application receives it. `K`, `V` and `H` are what the consumer's
 * deserializers make of the key, the value and each header value (`Buffer` without them).
 */
export interface ConsumerRecord<K = Buffer, V = Buffer, H = Buffer> {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
  /** Milliseconds since the epoch (create time or log-append time, as the batch says). */
  readonly timestamp: number;
  readonly key: K | null;
  readonly value: V | null;
  readonly headers: Array<[string, H | null]>;
  /** Absent: every part deserialized. A record a deserializer refused is an `UndeserializedRecord`. */
  readonly error?: undefined;
  /**
   * Marks the record as done. With `autoCommit: { ackMode: 'manual' }` every record waits for it;
   * in ack mode `auto`, a record held by a stage such as `processRecords` does (that stage calls
   * it), and any other record was done when the subscriber's `next` returned, so this is a no-op.
   * Commits cover records up to the first one not done.
   */
  ack(): void;
  /**
   * For `JSON.stringify` (every record the consumer delivers has it; optional so that tests can
   * build records by hand): the offset as a decimal string; key, value and header values as
   * UTF-8 strings (null when absent), or as deserialized.
   */
  toJSON?(): object;
}

/**
 * A record one of the consumer's deserializers refused: key, value and headers as fetched, and
 * `error` saying which part failed (with its bytes). It is delivered like any other record (and
 * must be acknowledged like one); `deadLetter` forwards such records to a dead-letter topic.
 */
export interface UndeserializedRecord extends Omit<ConsumerRecord, 'error'> {
  readonly error: DeserializationError;
}

/**
 * What a consumer delivers: records as fetched when no deserializer makes anything but a
 * `Buffer`; otherwise a deserialized record or an `UndeserializedRecord`, told apart by `error`
 * (so `value` is a `V` only after checking `record.error === undefined`).
 */
export type DeliveredRecord<K = Buffer, V = Buffer, H = Buffer> = [K, V, H] extends [Buffer, Buffer, Buffer]
  ? ConsumerRecord
  : ConsumerRecord<K, V, H> | UndeserializedRecord;

/** Any record a consumer delivers, whatever its deserializers: what generic stages accept. */
export type AnyConsumerRecord = ConsumerRecord<unknown, unknown, unknown> | UndeserializedRecord;

/** The records of one assigned partition, in offset order; completes when the partition is revoked or lost. */
export interface PartitionStream<K = Buffer, V = Buffer, H = Buffer> {
  readonly topic: string;
  readonly partition: number;
  readonly records$: Observable<DeliveredRecord<K, V, H>>;
}

/**
 * How far this consumer is behind on one assigned partition, from the last Fetch response: the
 * partition's end (high watermark; the last stable offset under read_committed) minus the next
 * offset the application gets (records fetched but not yet delivered count as lag).
 */
export interface RecordsLag extends TopicPartition {
  /** The next offset the application gets. */
  readonly position: bigint;
  readonly highWatermark: bigint;
  /** highWatermark - position. */
  readonly lag: bigint;
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
  /** A connection attempt failed (every retry shows here at once); `error` says why. */
  | { readonly type: 'connect-error'; readonly broker: BrokerAddress; readonly error: KafkaRxError }
  | { readonly type: 'disconnect'; readonly broker: BrokerAddress; readonly reason: KafkaRxError }
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
  /** A record's deserializer failed: the record is delivered with `error` set (see `UndeserializedRecord`). */
  | {
      readonly type: 'deserialization-error';
      readonly topic: string;
      readonly partition: number;
      readonly offset: bigint;
      readonly error: DeserializationError;
    }
  /** close() gave up waiting for its commit and LeaveGroup after `closeTimeoutMs`. */
  | { readonly type: 'close-timeout'; readonly timeoutMs: number; readonly reason: string }
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
export interface Consumer<K = Buffer, V = Buffer, H = Buffer> {
  /**
   * Every record of every assigned partition; subscribing joins the group, unsubscribing commits
   * and leaves. One subscriber at a time (to `messages$` or `partitions$`): a second subscription
   * errors with `AlreadySubscribedError` (use `share()` to fan records out). Pipe it into
   * `processRecords` for asynchronous work: at least once, with memory bounded by the buffers.
   */
  readonly messages$: Observable<DeliveredRecord<K, V, H>>;
  /**
   * One stream per assigned partition, completed on revoke; subscribing joins the group like
   * `messages$`, and the same one-subscriber rule holds (also for each `records$`).
   */
  readonly partitions$: Observable<PartitionStream<K, V, H>>;
  /** Hot: every completed offset commit. Never errors; completes on close. */
  readonly commits$: Observable<CommitResult>;
  /** Hot: partitions assigned, revoked or lost. Completes on close. */
  readonly rebalances$: Observable<RebalanceEvent>;
  /**
   * Hot: after every Fetch response, the lag of each assigned partition whose end and position are
   * known (sorted by topic and partition), from what the fetches return: no extra requests. Completes on close.
   */
  readonly lag$: Observable<readonly RecordsLag[]>;
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
  /**
   * Commits, leaves the group and closes connections. Waits at most `closeTimeoutMs` for the
   * commit and LeaveGroup (then says so on `events$` with `close-timeout`); never rejects.
   */
  close(): Promise<void>;
}
