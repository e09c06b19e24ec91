import { type Clock, now as nowOf } from '../time/clock';
import { ProducerBatch } from './producer-batch';
import { RECORD_BATCH_OVERHEAD, type ProducerRecord } from './producer-record';

/** One partition's batches: those waiting (oldest first, retries in front) and those in flight. */
export class PartitionQueue {
  readonly waiting: ProducerBatch[] = [];
  readonly inFlight: ProducerBatch[] = [];
  /** The idempotent producer's next sequence number here. */
  nextSequence = 0;

  constructor(
    readonly topic: string,
    readonly partition: number,
  ) {}

  /** A retried batch is waiting: send one batch at a time until it has gone, so order holds. */
  get retrying(): boolean {
    return this.waiting.some((b) => b.attempts > 0);
  }

  /** Puts a batch back to be sent again, in front of new batches and in its original order. */
  requeue(batch: ProducerBatch): void {
    const i = this.inFlight.indexOf(batch);
    if (i >= 0) this.inFlight.splice(i, 1);
    let at = 0;
    while (at < this.waiting.length && this.waiting[at].attempts > 0 && sendsBefore(this.waiting[at], batch))
      at++;
    this.waiting.splice(at, 0, batch);
  }

  /** Forgets a settled batch. */
  remove(batch: ProducerBatch): void {
    for (const list of [this.inFlight, this.waiting]) {
      const i = list.indexOf(batch);
      if (i >= 0) list.splice(i, 1);
    }
  }
}

function sendsBefore(a: ProducerBatch, b: ProducerBatch): boolean {
  if (a.stamp && b.stamp) return a.stamp.baseSequence < b.stamp.baseSequence;
  return a.createdAt <= b.createdAt;
}

export interface AccumulatorOptions {
  readonly clock: Clock;
  readonly batchBytes: number;
  readonly lingerMs: number;
  readonly deliveryTimeoutMs: number;
  /** Bytes the batches not yet settled may hold together (`bufferMemory`). */
  readonly bufferMemory: number;
  /** A settled batch freed room in `bufferMemory`. */
  readonly onRoom: () => void;
  /** A batch has become ready (full) or its linger time has passed. */
  readonly onReady: () => void;
  /** A batch is not settled `deliveryTimeoutMs` after its first record. */
  readonly onDeliveryTimeout: (batch: ProducerBatch) => void;
  /** A batch stopped taking records (for the sticky partitioner). */
  readonly onBatchClosed: (topic: string, partition: number) => void;
}

/**
 * Collects records into batches per partition (Kafka's RecordAccumulator). A batch is closed
 * when the next record would not fit in `batchBytes`; a timer on the clock wakes the sender when
 * a batch has lingered `lingerMs`. Batches not yet settled hold at most `bufferMemory` bytes
 * together: callers ask `hasRoom` before they append, and hear `onRoom` when a batch settles.
 */
export class RecordAccumulator {
  private readonly queues: PartitionQueue[] = [];
  /** Per topic, its queues by partition: no key string built per record. */
  private readonly byTopic = new Map<string, PartitionQueue[]>();
  /** Every batch not yet settled, for flush. */
  readonly unsettled = new Set<ProducerBatch>();
  /** Bytes held by the batches not yet settled (their estimated sizes, batch overhead included). */
  bufferedBytes = 0;

  constructor(private readonly options: AccumulatorOptions) {}

  partitions(): readonly PartitionQueue[] {
    return this.queues;
  }

  queue(topic: string, partition: number): PartitionQueue {
    let queues = this.byTopic.get(topic);
    if (!queues) this.byTopic.set(topic, (queues = []));
    let queue = queues[partition];
    if (!queue) {
      queue = new PartitionQueue(topic, partition);
      queues[partition] = queue;
      this.queues.push(queue);
    }
    return queue;
  }

  /**
   * Whether a record of `size` bytes may be appended within `bufferMemory` (counting the overhead
   * of a new batch it may open). Nothing held means room for any record, so sends always progress.
   */
  hasRoom(size: number): boolean {
    return (
      this.bufferedBytes === 0 ||
      this.bufferedBytes + size + RECORD_BATCH_OVERHEAD <= this.options.bufferMemory
    );
  }

  /**
   * Adds a record to the open batch of its partition (or a new one); returns the batch, where it
   * is the last record (index `count - 1`): no object per record to say so.
   */
  append(topic: string, partition: number, record: ProducerRecord, now: number, size: number): ProducerBatch {
    const queue = this.queue(topic, partition);
    const last = queue.waiting[queue.waiting.length - 1];
    if (last && !last.closed && last.attempts === 0) {
      if (last.tryAppend(record, now, size, this.options.batchBytes) >= 0) {
        this.bufferedBytes += size;
        this.closeIfFull(last);
        return last;
      }
      this.close(last);
    }
    const { clock, lingerMs } = this.options;
    // Room for a full batch at once, as the Java client allocates batch.size: growing costs copies.
    const batch = new ProducerBatch(topic, partition, nowOf(clock), Math.max(size, this.options.batchBytes));
    batch.tryAppend(record, now, size, this.options.batchBytes);
    queue.waiting.push(batch);
    this.unsettled.add(batch);
    this.bufferedBytes += batch.sizeBytes;
    const settled = () => {
      this.unsettled.delete(batch);
      this.bufferedBytes -= batch.sizeBytes;
      this.options.onRoom();
    };
    batch.ack$.subscribe({ error: settled, complete: settled });
    // Its own timer: a batch nothing wakes the sender for must still fail in time, not wait silently.
    batch.deliveryTimer = clock.schedule(() => {
      batch.deliveryTimer = undefined;
      this.options.onDeliveryTimeout(batch);
    }, this.options.deliveryTimeoutMs);
    if (lingerMs > 0) {
      // Closing marks it ready: a timer may fire a little before `now()` reaches createdAt + lingerMs.
      batch.lingerTimer = clock.schedule(() => {
        batch.lingerTimer = undefined;
        this.close(batch);
        this.options.onReady();
      }, lingerMs);
    }
    this.closeIfFull(batch);
    return batch;
  }

  /**
   * Closes the open batch of a partition if a record of `size` bytes would not fit in it, so a
   * sticky partitioner can move on before the record is placed. Returns whether it did.
   */
  closeIfNoRoom(topic: string, partition: number, size: number): boolean {
    const waiting = this.queue(topic, partition).waiting;
    const last = waiting[waiting.length - 1];
    if (!last || last.closed || last.attempts > 0 || last.sizeBytes + size <= this.options.batchBytes)
      return false;
    this.close(last);
    return true;
  }

  /** Stops a batch taking records (it is full, or about to be sent). */
  close(batch: ProducerBatch): void {
    if (batch.closed) return;
    batch.closed = true;
    batch.lingerTimer?.unsubscribe();
    batch.lingerTimer = undefined;
    this.options.onBatchClosed(batch.topic, batch.partition);
  }

  private closeIfFull(batch: ProducerBatch): void {
    if (batch.sizeBytes >= this.options.batchBytes) {
      this.close(batch);
      this.options.onReady();
    }
  }
}
