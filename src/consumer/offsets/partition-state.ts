import type { Subscriber } from 'rxjs';
import type { DecodedRecord } from '../../protocol/records';
import type { AckMode } from '../config';
import type { ConsumerRecord, TopicPartition } from '../types';

/** What a partition tells the rest of the consumer. */
export interface PartitionHooks {
  /** Fetched records were buffered. */
  appended(): void;
  /** The application took a record (delivered in ack mode `auto`, acknowledged in `manual`). */
  taken(): void;
  /** The buffer dropped below its high-water mark: the partition may be fetched again. */
  roomFreed(): void;
}

interface Entry {
  readonly record: ConsumerRecord;
  readonly bytes: number;
}

interface Outstanding {
  readonly offset: bigint;
  readonly bytes: number;
  acked: boolean;
}

/** Bytes a record holds on to, for the buffer's high-water mark. */
export function recordBytes(r: DecodedRecord): number {
  let n = 64 + (r.key?.length ?? 0) + (r.value?.length ?? 0);
  for (const [k, v] of r.headers) n += k.length + (v?.length ?? 0);
  return n;
}

/**
 * One assigned partition: where to fetch next (`position`), what the application has taken
 * (`consumed`: the offset to commit), a buffer of fetched records bounded by a byte high-water
 * mark, and the subscriber its records go to. Offsets are bigint throughout.
 */
export class PartitionState implements TopicPartition {
  /** Next offset to fetch; null until known (committed offset or reset policy). */
  position: bigint | null = null;
  /** Everything below this offset has been taken (or acknowledged): what a commit sends. */
  consumed: bigint | null = null;
  /** Last offset committed successfully. */
  committed: bigint | null = null;
  paused = false;
  /** A Fetch request for this partition is in flight. */
  fetching = false;
  /** A committed-offset lookup or offset reset is in flight. */
  resolving = false;
  /** Bumped by seek: responses and acknowledgements from before are ignored. */
  epoch = 0;
  revoked = false;
  private queue: Entry[] = [];
  private head = 0;
  private queuedBytes = 0;
  private outstanding: Outstanding[] = [];
  private outstandingHead = 0;
  private outstandingBytes = 0;
  private sink: Subscriber<ConsumerRecord> | null = null;
  private delivering = false;
  private acksDuringDelivery = false;

  constructor(
    readonly topic: string,
    readonly partition: number,
    private readonly ackMode: AckMode,
    private readonly highWaterMark: number,
    private readonly hooks: PartitionHooks,
  ) {}

  /** Bytes held: buffered, plus delivered but not yet acknowledged (ack mode `manual`). */
  get heldBytes(): number {
    return this.queuedBytes + this.outstandingBytes;
  }

  get bufferedRecords(): number {
    return this.queue.length - this.head;
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
    if (this.queue.length - this.head === 0 && this.outstanding.length - this.outstandingHead === 0) this.consumed = offset;
  }

  /** Adds records from a Fetch response (offset order) and moves the fetch position on. */
  append(records: readonly DecodedRecord[], nextPosition: bigint, fetchedAtEpoch: number): void {
    if (this.revoked || fetchedAtEpoch !== this.epoch) return;
    for (const r of records) {
      const bytes = recordBytes(r);
      this.queue.push({ record: this.toConsumerRecord(r), bytes });
      this.queuedBytes += bytes;
    }
    this.position = nextPosition;
    if (records.length > 0) this.hooks.appended();
    if (this.bufferedRecords === 0 && this.outstanding.length - this.outstandingHead === 0) this.consumed = nextPosition;
    this.deliver();
  }

  /** Attaches the application's subscriber and delivers what is buffered. */
  attach(subscriber: Subscriber<ConsumerRecord>): void {
    this.sink = subscriber;
    this.deliver();
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
    this.queue = [];
    this.head = 0;
    this.queuedBytes = 0;
  }

  /** Pushes buffered records to the subscriber, in offset order, while it is there and not paused. */
  deliver(): void {
    if (this.delivering) return;
    this.delivering = true;
    const hadRoom = this.hasRoom();
    // One `taken` signal per run of deliveries, not per record: each restarts the
    // maxPollIntervalMs timer, which costs more than delivering the record.
    let taken = false;
    this.acksDuringDelivery = false;
    try {
      while (this.sink !== null && !this.sink.closed && !this.paused && !this.revoked && this.head < this.queue.length) {
        const entry = this.queue[this.head];
        this.queue[this.head++] = undefined as unknown as Entry;
        this.queuedBytes -= entry.bytes;
        const next = entry.record.offset + 1n;
        if (this.ackMode === 'manual') {
          this.outstanding.push({ offset: entry.record.offset, bytes: entry.bytes, acked: false });
          this.outstandingBytes += entry.bytes;
        } else {
          this.consumed = next;
          if (this.bufferedRecords === 0) this.consumed = this.position ?? next;
        }
        taken = true;
        this.sink.next(entry.record);
      }
      if (this.head > 1024 && this.head * 2 > this.queue.length) {
        this.queue = this.queue.slice(this.head);
        this.head = 0;
      }
    } finally {
      this.delivering = false;
    }
    if ((taken && this.ackMode === 'auto') || this.acksDuringDelivery) this.hooks.taken();
    if (!hadRoom && this.hasRoom()) this.hooks.roomFreed();
  }

  private ack(offset: bigint, epoch: number): void {
    // Acknowledged while delivering (a synchronous handler): signalled once when delivery ends.
    if (this.delivering) this.acksDuringDelivery = true;
    else this.hooks.taken();
    if (epoch !== this.epoch || this.revoked || this.ackMode !== 'manual') return;
    const hadRoom = this.hasRoom();
    const entry = this.outstanding.find((o, i) => i >= this.outstandingHead && o.offset === offset);
    if (!entry || entry.acked) return;
    entry.acked = true;
    // Only a contiguous run of acknowledged records from the oldest one moves the commit position.
    while (this.outstandingHead < this.outstanding.length && this.outstanding[this.outstandingHead].acked) {
      const done = this.outstanding[this.outstandingHead++];
      this.outstandingBytes -= done.bytes;
      this.consumed = done.offset + 1n;
    }
    if (this.outstandingHead === this.outstanding.length) {
      this.outstanding = [];
      this.outstandingHead = 0;
      if (this.bufferedRecords === 0 && this.position !== null) this.consumed = this.position;
    }
    if (!hadRoom && this.hasRoom()) this.hooks.roomFreed();
  }

  private toConsumerRecord(r: DecodedRecord): ConsumerRecord {
    const epoch = this.epoch;
    const offset = r.offset;
    return {
      topic: this.topic,
      partition: this.partition,
      offset,
      timestamp: r.timestamp,
      key: r.key,
      value: r.value,
      headers: r.headers,
      ack: () => this.ack(offset, epoch),
    };
  }
}
