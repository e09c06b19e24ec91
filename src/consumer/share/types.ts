import type { Observable } from 'rxjs';
import type { KafkaRxError } from '../../errors';
import type { ConsumerEvent, ConsumerRecord, UndeserializedRecord } from '../types';

/** How a share group member settles a record (KIP-932; `renew` is KIP-1222). */
export type AcknowledgeType = 'accept' | 'release' | 'reject' | 'renew';

/** How a share group member settles a record it has acquired, and how often it was delivered. */
export interface ShareSettling {
  readonly deliveryCount: number;
  /** Processed: the broker archives the record for the group. */
  accept(): void;
  /** Give it back: the broker delivers it again (to any member), with `deliveryCount` + 1. */
  release(): void;
  /** Unprocessable: the broker archives it and never delivers it again. */
  reject(): void;
  /** Still working: the broker extends the acquisition lock. */
  renew(): void;
}

/**
 * A record a share group member has acquired: the record, how often it has been delivered
 * (1 the first time; a release or an expired acquisition lock delivers it again), and how to
 * settle it. The first of `accept()`, `release()`, `reject()` counts; later calls are ignored.
 * `renew()` extends the acquisition lock (Kafka 4.2+, ShareAcknowledge v2) and may be repeated.
 * `ack()` is `accept()`, so that code written for a consumer's records takes these too.
 */
export interface ShareRecord<K = Buffer, V = Buffer, H = Buffer>
  extends ConsumerRecord<K, V, H>, ShareSettling {}

/** A share record one of the consumer's deserializers refused (see `UndeserializedRecord`). */
export interface UndeserializedShareRecord extends UndeserializedRecord, ShareSettling {}

/** What a share consumer delivers: as `DeliveredRecord`, with the share group's settling calls. */
export type DeliveredShareRecord<K = Buffer, V = Buffer, H = Buffer> = [K, V, H] extends [
  Buffer,
  Buffer,
  Buffer,
]
  ? ShareRecord
  : ShareRecord<K, V, H> | UndeserializedShareRecord;

/** One record's outcome in a completed acknowledgement. */
export interface RecordAcknowledgement {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
  readonly type: AcknowledgeType;
  /** Why the broker refused it (e.g. INVALID_RECORD_STATE after the acquisition lock expired); absent on success. */
  readonly error?: KafkaRxError;
}

/** A completed acknowledgement batch: what one ShareFetch or ShareAcknowledge carried, and the outcome per record. */
export interface AcknowledgementResult {
  readonly api: 'ShareFetch' | 'ShareAcknowledge';
  readonly records: readonly RecordAcknowledgement[];
}

/** What a share consumer reports besides records: the consumer's events plus the share group's own. */
export type ShareConsumerEvent =
  | ConsumerEvent
  | {
      /** The acquisition lock of these records ran out before they were acknowledged: the broker delivers them again. */
      readonly type: 'acquisition-lock-expired';
      readonly topic: string;
      readonly partition: number;
      readonly offsets: readonly bigint[];
    };

/** A member of a share group (KIP-932) whose records arrive as a stream. */
export interface ShareConsumer<K = Buffer, V = Buffer, H = Buffer> {
  /** Subscribing joins the share group; unsubscribing closes the consumer. One subscriber at a time. */
  readonly records$: Observable<DeliveredShareRecord<K, V, H>>;
  /** Hot: every completed acknowledgement batch, with the outcome per record. Never errors. */
  readonly acknowledgements$: Observable<AcknowledgementResult>;
  /** Instrumentation: requests, heartbeats, assignment (`sync`), fetches, lock expiries, errors. */
  readonly events$: Observable<ShareConsumerEvent>;
  /**
   * Acknowledges what is settled, leaves the group and closes connections. In explicit mode,
   * records handed out and never settled are released and the promise rejects with an
   * `UnacknowledgedRecordsError` naming them.
   */
  close(): Promise<void>;
}
