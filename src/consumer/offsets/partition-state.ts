import type { Subscriber } from 'rxjs';
import type { FetchedRecords, RecordFactory } from '../../protocol/records';
import { FetchedConsumerRecord } from '../consumer-record';
import type { AckMode } from '../config';
import { deserializeRecord, type AnyDeserializers } from '../deserialize-record';
import type { AnyConsumerRecord, ConsumerRecord, TopicPartition, UndeserializedRecord } from '../types';

/** What a partition tells the rest of the consumer. */
export interface PartitionHooks {
  /** Fetched records were buffered. */
  appended(): void;
  /** The application took a record (delivered in ack mode `auto`, acknowledged when held or in `manual`). */
  taken(): void;
  /** The buffer dropped below its high-water mark: the partition may be fetched again. */
  roomFreed(): void;
  /** A deserializer refused this record (just before it is delivered). */
  undeserializable?(record: UndeserializedRecord): void;
}

interface Outstanding {
  readonly offset: bigint;
  readonly bytes: number;
  acked: boolean;
}

/** The partition delivering now (deliveries are synchronous): a stage may hold the record it is given. */
const delivery: { state: PartitionState | null } = { state: null };

/**
 * Takes a record over while it is being delivered: it stays outstanding (counted against its
 * partition's buffer, and never committed) until `record.ack()`, instead of being done when the
 * subscriber's `next` returns. False when the record is not the one being delivered (it came
 * through an asynchronous stage, or not from a consumer); in ack mode `manual` every record is
 * held anyway.
 */
export function holdRecord(record: AnyConsumerRecord): boolean {
  return delivery.state !== null && delivery.state.hold(record);
}

/**
 * One assigned partition: where to fetch next (`position`), what the application has done
 * (`consumed`: the offset to commit), a buffer of fetched records bounded by a byte high-water
 * mark, and the subscriber its records go to. Offsets are bigint throughout.
 *
 * A record handed to the subscriber is done at once in ack mode `auto` (a synchronous subscriber
 * has done its work when `next` returns), unless a stage holds it (`holdRecord`, as the
 * `processRecords` operator does); held records, and every record in ack mode `manual`, are
 * outstanding until acknowledged: their bytes count against the buffer, and `consumed` stops at
 * the first of them not yet acknowledged.
 *
 * Fetched records wait as the bytes they came in (`FetchedRecords`) and become ConsumerRecord
 * objects one at a time as they are delivered: a buffer of a million small records is a few
 * buffers, not a million objects, and a record the application has dropped is young garbage.
 */
export class PartitionState implements TopicPartition {
  /** Next offset to fetch; null until known (committed offset or reset policy). */
  position: bigint | null = null;
  private consumedOffset: bigint | null = null;
  /** The last record delivered, when `consumed` is one past it (added only when read: a bigint less per record). */
  private takenOffset: bigint | null = null;
  /** Last offset committed successfully. */
  committed: bigint | null = null;
  /** The partition's end as the last Fetch response gave it (the last stable offset under read_committed). */
  endOffset: bigint | null = null;
  /** Where the buffered records start: the position when the buffer was last empty. */
  private bufferStart: bigint | null = null;
  /** The offset of the last record delivered from the buffer (null when none was since it filled). */
  private lastDelivered: bigint | null = null;
  paused = false;
  /** A Fetch request for this partition is in flight. */
  fetching = false;
  /** A committed-offset lookup or offset reset is in flight. */
  resolving = false;
  /** Bumped by seek: responses and acknowledgements from before are ignored. */
  epoch = 0;
  revoked = false;
  private queue: FetchedRecords[] = [];
  private head = 0;
  private queuedBytes = 0;
  private queuedRecords = 0;
  private outstanding: Outstanding[] = [];
  private outstandingHead = 0;
  private outstandingBytes = 0;
  private sink: Subscriber<ConsumerRecord> | null = null;
  private delivering = false;
  private acksDuringDelivery = false;
  /** The record in the subscriber's `next` now, and its bytes: what `hold` may take over. */
  private current: ConsumerRecord | null = null;
  private currentBytes = 0;

  constructor(
    readonly topic: string,
    readonly partition: number,
    private readonly ackMode: AckMode,
    private readonly highWaterMark: number,
    private readonly hooks: PartitionHooks,
    /** Only when configured: without them records are made as fetched, at no extra cost. */
    private readonly deserializers?: AnyDeserializers,
  ) {}

  /** Everything below this offset is done: what a commit sends. */
  get consumed(): bigint | null {
    // The first outstanding record not acknowledged bounds it: everything delivered before it is done.
    if (this.outstandingHead < this.outstanding.length) return this.outstanding[this.outstandingHead].offset;
    if (this.takenOffset !== null) {
      this.consumedOffset = this.takenOffset + 1n;
      this.takenOffset = null;
    }
    return this.consumedOffset;
  }

  set consumed(offset: bigint | null) {
    this.takenOffset = null;
    this.consumedOffset = offset;
  }

  /** The next offset the application gets: after the last record delivered, or the fetch position when nothing is buffered. */
  get deliveryPosition(): bigint | null {
    if (this.queuedRecords === 0) return this.position;
    return this.lastDelivered !== null ? this.lastDelivered + 1n : this.bufferStart;
  }

  /** Bytes held: buffered, plus delivered but not yet done (held by a stage, or ack mode `manual`). */
  get heldBytes(): number {
    return this.queuedBytes + this.outstandingBytes;
  }

  get bufferedRecords(): number {
    return this.queuedRecords;
  }

  /** Records delivered and not yet done. */
  get outstandingRecords(): number {
    return this.outstanding.length - this.outstandingHead;
  }

  hasRoom(): boolean {
    return this.heldBytes < this.highWaterMark;
  }

  /** May be put in the next Fetch request. */
  isFetchable(): boolean {
    return !this.revoked && !this.paused && !this.fetching && this.position !== null && this.hasRoom();
  }

  /** Records are waiting for the application (for the maxPollIntervalMs guard). */
  isWaiting(): boolean {
    if (this.revoked || this.paused) return false;
    return this.bufferedRecords > 0 || this.outstanding.length - this.outstandingHead > 0;
  }

  /** Sets where fetching starts (committed offset, reset, or seek). */
  setPosition(offset: bigint): void {
    this.position = offset;
    if (this.queuedRecords === 0 && this.outstanding.length - this.outstandingHead === 0)
      this.consumed = offset;
  }

  /**
   * Adds records from a Fetch response (offset order) and moves the fetch position on. What is
   * not delivered at once is copied out of the response, so that a waiting partition holds its
   * own bytes, not the whole response.
   */
  append(records: FetchedRecords, nextPosition: bigint, fetchedAtEpoch: number): void {
    if (this.buffer(records, nextPosition, fetchedAtEpoch)) this.deliverFetched(records);
  }

  /**
   * The first half of `append`: buffers the records and moves the fetch position on, without
   * delivering them, so that the next Fetch can be on its way while they are delivered. False
   * when the records are stale (revoked, or fetched before a seek) and were dropped.
   */
  buffer(records: FetchedRecords, nextPosition: bigint, fetchedAtEpoch: number): boolean {
    if (this.revoked || fetchedAtEpoch !== this.epoch) return false;
    const count = records.count;
    if (count > 0) {
      if (this.queuedRecords === 0) {
        this.bufferStart = this.position;
        this.lastDelivered = null;
      }
      this.queue.push(records);
      this.queuedBytes += records.bytes;
      this.queuedRecords += count;
    }
    this.position = nextPosition;
    if (count > 0) this.hooks.appended();
    if (this.queuedRecords === 0 && this.outstanding.length - this.outstandingHead === 0)
      this.consumed = nextPosition;
    return true;
  }

  /**
   * The second half of `append`: delivers what is buffered, then copies what is left of these
   * records out of the Fetch response, so that a waiting partition holds its own bytes, not the
   * whole response.
   */
  deliverFetched(records: FetchedRecords): void {
    this.deliver();
    if (records.count > 0) records.detach();
  }

  /** Attaches the application's subscriber and delivers what is buffered. */
  attach(subscriber: Subscriber<ConsumerRecord>): void {
    this.sink = subscriber;
    this.deliver();
  }

  /** A subscriber is attached and still open. */
  hasSubscriber(): boolean {
    return this.sink !== null && !this.sink.closed;
  }

  detach(subscriber: Subscriber<ConsumerRecord>): void {
    if (this.sink === subscriber) this.sink = null;
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.deliver();
    if (this.hasRoom()) this.hooks.roomFreed();
  }

  /** Drops what is buffered and fetches from `offset` next. */
  seek(offset: bigint): void {
    this.epoch++;
    this.dropBuffered();
    this.outstanding = [];
    this.outstandingHead = 0;
    this.outstandingBytes = 0;
    this.position = offset;
    this.consumed = offset;
    this.hooks.roomFreed();
  }

  /** Stops fetching and delivering (before the commit on revoke): buffered records are dropped. */
  halt(): void {
    if (this.revoked) return;
    this.revoked = true;
    this.epoch++;
    this.dropBuffered();
  }

  /** Gives the partition up: nothing more is delivered; the subscriber completes. */
  revoke(): void {
    this.halt();
    const sink = this.sink;
    this.sink = null;
    sink?.complete();
  }

  /** Ends the subscriber with an error (fatal consumer error). */
  fail(error: unknown): void {
    this.revoked = true;
    const sink = this.sink;
    this.sink = null;
    sink?.error(error);
  }

  private dropBuffered(): void {
    this.current = null;
    this.queue = [];
    this.head = 0;
    this.queuedBytes = 0;
    this.queuedRecords = 0;
  }

  /** Pushes buffered records to the subscriber, in offset order, while it is there and not paused. */
  deliver(): void {
    if (this.delivering) return;
    this.delivering = true;
    const outer = delivery.state;
    delivery.state = this;
    const hadRoom = this.hasRoom();
    // One `taken` signal per run of deliveries, not per record: each restarts the
    // maxPollIntervalMs timer, which costs more than delivering the record.
    let taken = false;
    this.acksDuringDelivery = false;
    try {
      const make = this.deserializers === undefined ? this.makeRecord : this.makeDeserializedRecord;
      while (
        this.sink !== null &&
        !this.sink.closed &&
        !this.paused &&
        !this.revoked &&
        this.head < this.queue.length
      ) {
        const fetched = this.queue[this.head];
        if (fetched.count === 0) {
          this.queue[this.head++] = undefined as unknown as FetchedRecords;
          continue;
        }
        const before = fetched.bytes;
        const record = fetched.next(make);
        const bytes = before - fetched.bytes;
        this.queuedBytes -= bytes;
        this.queuedRecords--;
        // Done unless outstanding: `consumed` reads past it only once no earlier record is outstanding.
        if (this.queuedRecords === 0 && this.position !== null) this.consumed = this.position;
        else this.takenOffset = record.offset;
        this.lastDelivered = record.offset;
        if (this.ackMode === 'manual') {
          this.outstanding.push({ offset: record.offset, bytes, acked: false });
          this.outstandingBytes += bytes;
        }
        taken = true;
        this.current = record;
        this.currentBytes = bytes;
        this.sink.next(record);
      }
      if (this.head === this.queue.length) {
        this.queue = [];
        this.head = 0;
      }
    } finally {
      this.delivering = false;
      this.current = null;
      delivery.state = outer;
    }
    if ((taken && this.ackMode === 'auto') || this.acksDuringDelivery) this.hooks.taken();
    if (!hadRoom && this.hasRoom()) this.hooks.roomFreed();
  }

  /** Makes the record being delivered outstanding until its `ack()` (see `holdRecord`). */
  hold(record: AnyConsumerRecord): boolean {
    if (record !== this.current) return false;
    this.current = null;
    if (this.ackMode === 'manual') return true;
    this.outstanding.push({ offset: record.offset, bytes: this.currentBytes, acked: false });
    this.outstandingBytes += this.currentBytes;
    // A closure only for held records: the shared one cannot tell records apart.
    (record as { ack(): void }).ack = this.manualAck(record.offset, this.epoch);
    return true;
  }

  private ack(offset: bigint, epoch: number): void {
    // Acknowledged while delivering (a synchronous handler): signalled once when delivery ends.
    if (this.delivering) this.acksDuringDelivery = true;
    else this.hooks.taken();
    if (epoch !== this.epoch || this.revoked) return;
    const hadRoom = this.hasRoom();
    // From the oldest outstanding record: acknowledgements mostly come in order.
    let entry: Outstanding | undefined;
    for (let i = this.outstandingHead; i < this.outstanding.length; i++) {
      if (this.outstanding[i].offset === offset) {
        entry = this.outstanding[i];
        break;
      }
    }
    if (!entry || entry.acked) return;
    entry.acked = true;
    // Only a contiguous run of acknowledged records from the oldest one moves the commit position
    // (`consumed` reads the first outstanding record left).
    while (this.outstandingHead < this.outstanding.length && this.outstanding[this.outstandingHead].acked) {
      this.outstandingBytes -= this.outstanding[this.outstandingHead++].bytes;
    }
    if (this.outstandingHead === this.outstanding.length) {
      this.outstanding = [];
      this.outstandingHead = 0;
      if (this.bufferedRecords === 0 && this.position !== null) this.consumed = this.position;
    }
    if (!hadRoom && this.hasRoom()) this.hooks.roomFreed();
  }

  /** A record not held (ack mode `auto`) is done already: its acknowledgement only counts as the application polling, and one function serves every record. */
  private readonly ackTaken = (): void => this.ack(-1n, -1);

  /** Makes the ConsumerRecord straight from the fields the reader gives (no record in between). */
  private readonly makeRecord: RecordFactory<ConsumerRecord> = (offset, timestamp, key, value, headers) =>
    new FetchedConsumerRecord(
      this.topic,
      this.partition,
      offset,
      timestamp,
      key,
      value,
      headers,
      this.ackMode === 'manual' ? this.manualAck(offset, this.epoch) : this.ackTaken,
    );

  /** As `makeRecord`, through the deserializers (a record one refuses is announced first). */
  private readonly makeDeserializedRecord: RecordFactory<ConsumerRecord> = (
    offset,
    timestamp,
    key,
    value,
    headers,
  ) => {
    const record = deserializeRecord(
      this.deserializers!,
      this.topic,
      this.partition,
      offset,
      timestamp,
      key,
      value,
      headers,
      this.ackMode === 'manual' ? this.manualAck(offset, this.epoch) : this.ackTaken,
    );
    if (record.error !== undefined) this.hooks.undeserializable?.(record);
    // The subscriber's type is the consumer's DeliveredRecord; inside, records are all alike.
    return record as ConsumerRecord;
  };

  private manualAck(offset: bigint, epoch: number): () => void {
    return () => this.ack(offset, epoch);
  }
}
