import { FetchedConsumerRecord } from '../consumer-record';
import type { AcknowledgeType, ShareRecord } from './types';

/** How a record reports its settlement to the consumer that handed it out. */
export type Settle = (record: AcquiredShareRecord, type: AcknowledgeType) => void;

/**
 * A record acquired from a share partition: the consumer's record class (for `toJSON`), plus the
 * delivery count and the settling calls. Only the first accept/release/reject counts.
 */
export class AcquiredShareRecord extends FetchedConsumerRecord implements ShareRecord {
  /** The settling type, once accepted, released or rejected. */
  settled: AcknowledgeType | null = null;
  /** When the acquisition lock runs out, on the consumer's clock. */
  lockDeadline = 0;

  constructor(
    topic: string,
    partition: number,
    offset: bigint,
    timestamp: number,
    key: Buffer | null,
    value: Buffer | null,
    headers: Array<[string, Buffer | null]>,
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
    if (this.settled === null) this.settle(this, 'renew');
  }

  private finish(type: AcknowledgeType): void {
    if (this.settled !== null) return;
    this.settled = type;
    this.settle(this, type);
  }
}
