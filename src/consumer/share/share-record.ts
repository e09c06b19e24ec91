import type { DeserializationError } from '../../serde/deserialization-error';
import { FetchedConsumerRecord } from '../consumer-record';
import type { AcknowledgeType, ShareRecord, UndeserializedShareRecord } from './types';

/** How a record reports its settlement to the consumer that handed it out. */
/** (Inside the consumer every record is alike, whatever its deserializers made of it.) */
export type Settle = (record: AcquiredShareRecord, type: AcknowledgeType) => void;

/**
 * A record acquired from a share partition: the consumer's record class (for `toJSON`), plus the
 * delivery count and the settling calls. Only the first accept/release/reject counts.
 */
export class AcquiredShareRecord<K = Buffer, V = Buffer, H = Buffer>
  extends FetchedConsumerRecord<K, V, H>
  implements ShareRecord<K, V, H>
{
  /** The settling type, once accepted, released or rejected. */
  settled: AcknowledgeType | null = null;
  /** When the acquisition lock runs out, on the consumer's clock. */
  lockDeadline = 0;

  constructor(
    topic: string,
    partition: number,
    offset: bigint,
    timestamp: number,
    key: K | null,
    value: V | null,
    headers: Array<[string, H | null]>,
    readonly deliveryCount: number,
    /** The broker whose share session acquired it: acknowledgements go there. */
    readonly brokerKey: string,
    private readonly settle: Settle,
  ) {
    super(topic, partition, offset, timestamp, key, value, headers, () => this.accept());
  }

  accept(): void {
    this.finish('accept');
  }

  release(): void {
    this.finish('release');
  }

  reject(): void {
    this.finish('reject');
  }

  renew(): void {
    if (this.settled === null) this.settle(this as unknown as AcquiredShareRecord, 'renew');
  }

  private finish(type: AcknowledgeType): void {
    if (this.settled !== null) return;
    this.settled = type;
    this.settle(this as unknown as AcquiredShareRecord, type);
  }
}

/** A share record one of the consumer's deserializers refused: its parts as fetched, and why. */
export class UndeserializedAcquiredShareRecord
  extends AcquiredShareRecord
  implements UndeserializedShareRecord
{
  constructor(
    topic: string,
    partition: number,
    offset: bigint,
    timestamp: number,
    key: Buffer | null,
    value: Buffer | null,
    headers: Array<[string, Buffer | null]>,
    deliveryCount: number,
    brokerKey: string,
    settle: Settle,
    readonly error: DeserializationError,
  ) {
    super(topic, partition, offset, timestamp, key, value, headers, deliveryCount, brokerKey, settle);
  }
}
