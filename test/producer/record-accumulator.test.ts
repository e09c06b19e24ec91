import { VirtualTimeScheduler } from 'rxjs';
import {
  PartitionQueue,
  RecordAccumulator,
  type AccumulatorOptions,
} from '../../src/producer/record-accumulator';
import { ProducerBatch } from '../../src/producer/producer-batch';
import { RECORD_BATCH_OVERHEAD, type ProducerRecord } from '../../src/producer/producer-record';
import { decodeRecords } from '../../src/protocol/records';
import { sealRecordBatch } from '../../src/protocol/records/record-batch-encoder';

const record = (value: string, timestamp = 1000): ProducerRecord => ({
  topic: 't',
  key: null,
  value: Buffer.from(value),
  timestamp,
});

/** The values written into a batch's buffer, read back as a broker would. */
const valuesOf = (batch: ProducerBatch): string[] =>
  decodeRecords(sealRecordBatch(batch)).records.map((r) => String(r.value));

/** A batch with room for `capacity` bytes of records (the accumulator gives it batchBytes). */
const newBatch = (createdAt: number, capacity = 64) => new ProducerBatch('t', 0, createdAt, capacity);

/** Appends a record; returns its batch and its index there (the batch's last record). */
function append(accumulator: RecordAccumulator, ...args: Parameters<RecordAccumulator['append']>) {
  const batch = accumulator.append(...args);
  return { batch, index: batch.count - 1 };
}

/** An accumulator on a virtual clock; what it reports lands in `log` with the clock time. */
function setup(options: Partial<AccumulatorOptions> = {}) {
  const clock = new VirtualTimeScheduler();
  const log: string[] = [];
  /** Clock times at which a settled batch gave room back. */
  const rooms: number[] = [];
  const accumulator = new RecordAccumulator({
    clock,
    batchBytes: RECORD_BATCH_OVERHEAD + 30,
    lingerMs: 0,
    deliveryTimeoutMs: 100,
    bufferMemory: 1 << 20,
    onRoom: () => rooms.push(clock.now()),
    onReady: () => log.push(`ready@${clock.now()}`),
    onDeliveryTimeout: (batch) => log.push(`timeout ${batch.count}@${clock.now()}`),
    onBatchClosed: (topic, partition) => log.push(`closed ${topic}-${partition}@${clock.now()}`),
    ...options,
  });
  return { clock, log, rooms, accumulator };
}

describe('RecordAccumulator', () => {
  it('fills one batch per partition and closes it, ready, when it reaches batchBytes', () => {
    const { log, accumulator } = setup();
    const a = append(accumulator, 't', 0, record('a'), 0, 10);
    const b = append(accumulator, 't', 0, record('b'), 0, 10);
    expect(b.batch).toBe(a.batch);
    expect([a.index, b.index]).toEqual([0, 1]);
    expect(a.batch.closed).toBe(false);
    expect(log).toEqual([]);
    // Exactly batchBytes: full.
    const c = append(accumulator, 't', 0, record('c'), 0, 10);
    expect(c).toEqual({ batch: a.batch, index: 2 });
    expect(a.batch.sizeBytes).toBe(RECORD_BATCH_OVERHEAD + 30);
    expect(a.batch.closed).toBe(true);
    expect(log).toEqual(['closed t-0@0', 'ready@0']);
    const d = append(accumulator, 't', 0, record('d'), 0, 10);
    expect(d.batch).not.toBe(a.batch);
    expect(d.index).toBe(0);
    expect(accumulator.queue('t', 0).waiting).toEqual([a.batch, d.batch]);
  });

  it('a record that does not fit closes the open batch (not ready yet) and starts the next', () => {
    const { log, accumulator } = setup();
    const a = append(accumulator, 't', 0, record('a'), 0, 20);
    const b = append(accumulator, 't', 0, record('b'), 0, 20);
    expect(b.batch).not.toBe(a.batch);
    expect(a.batch.closed).toBe(true);
    expect(b.batch.closed).toBe(false);
    expect(b.batch.count).toBe(1);
    expect(valuesOf(b.batch)).toEqual(['b']);
    expect(log).toEqual(['closed t-0@0']);
  });

  it('an empty batch takes a record larger than batchBytes, and is full at once', () => {
    const { log, accumulator } = setup();
    const big = append(accumulator, 't', 0, record('big'), 0, 1000);
    expect(big.index).toBe(0);
    expect(valuesOf(big.batch)).toEqual(['big']);
    expect(big.batch.closed).toBe(true);
    expect(log).toEqual(['closed t-0@0', 'ready@0']);
  });

  it('keeps partitions apart, one queue each', () => {
    const { accumulator } = setup();
    const a = append(accumulator, 't', 0, record('a'), 0, 1);
    const b = append(accumulator, 't', 1, record('b'), 0, 1);
    const c = append(accumulator, 'u', 0, record('c'), 0, 1);
    expect(new Set([a.batch, b.batch, c.batch]).size).toBe(3);
    expect(accumulator.queue('t', 1)).toBe(accumulator.queue('t', 1));
    expect([...accumulator.partitions()].map((q) => `${q.topic}-${q.partition}`)).toEqual([
      't-0',
      't-1',
      'u-0',
    ]);
    expect(accumulator.queue('t', 1).waiting).toEqual([b.batch]);
  });

  it('never appends to a batch being retried, and does not close it either', () => {
    const { log, accumulator } = setup();
    const a = append(accumulator, 't', 0, record('a'), 0, 1);
    a.batch.attempts = 1;
    const b = append(accumulator, 't', 0, record('b'), 0, 1);
    expect(b.batch).not.toBe(a.batch);
    expect(a.batch.closed).toBe(false);
    expect(log).toEqual([]);
  });

  it('a batch lingers lingerMs, then it is closed and the sender is woken', () => {
    const { clock, log, accumulator } = setup({ lingerMs: 5 });
    const a = append(accumulator, 't', 0, record('a'), 0, 1);
    expect(a.batch.lingerTimer).toBeDefined();
    clock.flush();
    expect(log).toEqual(['closed t-0@5', 'ready@5', 'timeout 1@100']);
    expect(a.batch.lingerTimer).toBeUndefined();
    expect(a.batch.closed).toBe(true);
  });

  it('without linger there is no linger timer', () => {
    const { clock, log, accumulator } = setup({ lingerMs: 0 });
    const a = append(accumulator, 't', 0, record('a'), 0, 1);
    expect(a.batch.lingerTimer).toBeUndefined();
    a.batch.complete({ baseOffset: 0n, logAppendTimeMs: -1 });
    clock.flush();
    expect(log).toEqual([]);
    expect(a.batch.closed).toBe(true);
  });

  it('a batch closed before its linger time has no linger wake-up', () => {
    const { clock, log, accumulator } = setup({ lingerMs: 5 });
    const a = append(accumulator, 't', 0, record('a'), 0, 1);
    accumulator.close(a.batch);
    accumulator.close(a.batch);
    expect(a.batch.lingerTimer).toBeUndefined();
    a.batch.complete({ baseOffset: 0n, logAppendTimeMs: -1 });
    clock.flush();
    expect(log).toEqual(['closed t-0@0']);
  });

  it('a batch not settled deliveryTimeoutMs after its first record is reported; a settled one is not', () => {
    const { clock, log, accumulator } = setup({ deliveryTimeoutMs: 30 });
    const a = append(accumulator, 't', 0, record('a'), 0, 1);
    const b = append(accumulator, 't', 1, record('b'), 0, 1);
    b.batch.complete({ baseOffset: 0n, logAppendTimeMs: -1 });
    clock.flush();
    expect(log).toEqual(['timeout 1@30']);
    expect(a.batch.deliveryTimer).toBeUndefined();
  });

  it('tracks unsettled batches until they complete or fail', () => {
    const { accumulator } = setup();
    const a = append(accumulator, 't', 0, record('a'), 0, 1);
    const b = append(accumulator, 't', 1, record('b'), 0, 1);
    const c = append(accumulator, 't', 2, record('c'), 0, 1);
    expect([...accumulator.unsettled]).toEqual([a.batch, b.batch, c.batch]);
    a.batch.complete({ baseOffset: 0n, logAppendTimeMs: -1 });
    b.batch.fail(new Error('no'));
    expect([...accumulator.unsettled]).toEqual([c.batch]);
  });

  it('holds at most bufferMemory in unsettled batches, and gives the room back once when each settles', () => {
    const full = RECORD_BATCH_OVERHEAD + 30;
    const { clock, log, rooms, accumulator } = setup({ bufferMemory: 2 * full });
    // Nothing held: room for any record, so sends always progress.
    expect(accumulator.hasRoom(10 * full)).toBe(true);
    const a = append(accumulator, 't', 0, record('a'), 0, 30);
    expect(accumulator.bufferedBytes).toBe(full);
    expect(accumulator.hasRoom(30)).toBe(true); // exactly bufferMemory with a new batch's overhead
    expect(accumulator.hasRoom(31)).toBe(false);
    const b = append(accumulator, 't', 1, record('b'), 0, 30);
    expect(accumulator.bufferedBytes).toBe(2 * full);
    expect(accumulator.hasRoom(1)).toBe(false);
    clock.schedule(() => a.batch.complete({ baseOffset: 0n, logAppendTimeMs: -1 }), 7);
    clock.schedule(() => a.batch.fail(new Error('late')), 8);
    clock.schedule(() => b.batch.fail(new Error('no')), 9);
    clock.flush();
    expect(rooms).toEqual([7, 9]);
    expect(accumulator.bufferedBytes).toBe(0);
    expect(accumulator.hasRoom(30)).toBe(true);
    expect(log).toEqual(['closed t-0@0', 'ready@0', 'closed t-1@0', 'ready@0']);
  });

  describe('closeIfNoRoom', () => {
    it('closes the open batch only when a record of that size would not fit', () => {
      const { log, accumulator } = setup();
      expect(accumulator.closeIfNoRoom('t', 0, 10)).toBe(false);
      const a = append(accumulator, 't', 0, record('a'), 0, 20);
      expect(accumulator.closeIfNoRoom('t', 0, 10)).toBe(false); // exactly batchBytes still fits
      expect(a.batch.closed).toBe(false);
      expect(accumulator.closeIfNoRoom('t', 0, 11)).toBe(true);
      expect(a.batch.closed).toBe(true);
      expect(log).toEqual(['closed t-0@0']);
      expect(accumulator.closeIfNoRoom('t', 0, 11)).toBe(false); // already closed
    });

    it('leaves a batch being retried alone', () => {
      const { accumulator } = setup();
      const a = append(accumulator, 't', 0, record('a'), 0, 20);
      a.batch.attempts = 1;
      expect(accumulator.closeIfNoRoom('t', 0, 50)).toBe(false);
      expect(a.batch.closed).toBe(false);
    });
  });
});

describe('PartitionQueue', () => {
  const batch = (createdAt: number, attempts = 0, baseSequence?: number) => {
    const b = newBatch(createdAt);
    b.attempts = attempts;
    if (baseSequence !== undefined) b.stamp = { producerId: 1n, producerEpoch: 0, baseSequence };
    return b;
  };

  it('is retrying while a batch sent before waits', () => {
    const queue = new PartitionQueue('t', 0);
    queue.waiting.push(batch(1));
    expect(queue.retrying).toBe(false);
    queue.waiting.push(batch(2, 1));
    expect(queue.retrying).toBe(true);
  });

  it('requeues a batch in front of new ones, in sequence order among retries', () => {
    const queue = new PartitionQueue('t', 0);
    const fresh = batch(9);
    const s10 = batch(5, 1, 10);
    const s20 = batch(6, 1, 20);
    const s30 = batch(4, 1, 30);
    queue.waiting.push(fresh);
    queue.inFlight.push(s20, s10, s30);
    queue.requeue(s20);
    queue.requeue(s30);
    queue.requeue(s10);
    expect(queue.waiting).toEqual([s10, s20, s30, fresh]);
    expect(queue.inFlight).toEqual([]);
  });

  it('without sequence numbers, requeues in creation order (the older first, ties keep arrival order)', () => {
    const queue = new PartitionQueue('t', 0);
    const first = batch(1, 1);
    const second = batch(2, 1);
    const tie = batch(2, 1);
    queue.requeue(second);
    queue.requeue(first);
    queue.requeue(tie);
    // By identity: second and tie are equal as values.
    expect(queue.waiting.indexOf(first)).toBe(0);
    expect(queue.waiting.indexOf(second)).toBe(1);
    expect(queue.waiting.indexOf(tie)).toBe(2);
  });

  it('a retry goes in front of a new batch made in the same millisecond', () => {
    const queue = new PartitionQueue('t', 0);
    const fresh = batch(5);
    const retried = batch(5, 1);
    queue.waiting.push(fresh);
    queue.requeue(retried);
    expect(queue.waiting.indexOf(retried)).toBe(0);
    expect(queue.waiting.indexOf(fresh)).toBe(1);
  });

  it('a requeued batch not in flight leaves the in-flight list alone', () => {
    const queue = new PartitionQueue('t', 0);
    const flying = batch(1, 1);
    queue.inFlight.push(flying);
    queue.requeue(batch(2, 1));
    expect(queue.inFlight).toEqual([flying]);
  });

  it('removes a settled batch from wherever it is', () => {
    const queue = new PartitionQueue('t', 0);
    const [a, b, c] = [batch(1), batch(2), batch(3)];
    queue.inFlight.push(a, b);
    queue.waiting.push(c);
    queue.remove(b);
    queue.remove(c);
    queue.remove(batch(4));
    expect(queue.inFlight).toEqual([a]);
    expect(queue.waiting).toEqual([]);
  });
});

describe('ProducerBatch', () => {
  it('gives each record its offset, and the record timestamp unless the topic uses LogAppendTime', () => {
    const b = new ProducerBatch('t', 3, 0, 100);
    b.tryAppend(record('a', 111), 1, 1, 100);
    b.tryAppend(record('b', 222), 1, 1, 100);
    const md = (index: number, baseOffset: bigint, logAppendTimeMs: number) => {
      const m = b.metadataOf(index, { baseOffset, logAppendTimeMs });
      return [m.topic, m.partition, m.offset, m.timestamp];
    };
    expect(md(1, 40n, -1)).toEqual(['t', 3, 41n, 222]);
    expect(md(0, 0n, 0)).toEqual(['t', 3, 0n, 0]);
    expect(md(1, -1n, 5)).toEqual(['t', 3, -1n, 5]);
  });

  it('refuses records once closed or when the next one would pass batchBytes', () => {
    const b = newBatch(0);
    const limit = RECORD_BATCH_OVERHEAD + 10;
    expect(b.tryAppend(record('a'), 0, 6, limit)).toBe(0);
    expect(b.tryAppend(record('b'), 0, 5, limit)).toBe(-1);
    expect(b.tryAppend(record('c'), 0, 4, limit)).toBe(1);
    expect(b.sizeBytes).toBe(limit);
    b.closed = true;
    expect(b.tryAppend(record('d'), 0, 0, limit)).toBe(-1);
    expect(b.count).toBe(2);
    expect(valuesOf(b)).toEqual(['a', 'c']);
  });

  it('settles once: the first outcome wins, timers stop, no more records', () => {
    const clock = new VirtualTimeScheduler();
    const b = newBatch(0);
    let fired = 0;
    b.lingerTimer = clock.schedule(() => fired++, 5);
    b.deliveryTimer = clock.schedule(() => fired++, 10);
    const seen: string[] = [];
    b.ack$.subscribe({
      next: (ack) => seen.push(`ack ${ack.baseOffset}`),
      error: () => seen.push('error'),
      complete: () => seen.push('complete'),
    });
    expect(b.done).toBe(false);
    b.complete({ baseOffset: 7n, logAppendTimeMs: -1 });
    b.fail(new Error('late'));
    b.complete({ baseOffset: 8n, logAppendTimeMs: -1 });
    clock.flush();
    expect(seen).toEqual(['ack 7', 'complete']);
    expect(fired).toBe(0);
    expect(b.done).toBe(true);
    expect(b.closed).toBe(true);

    const failed = newBatch(0);
    const errors: unknown[] = [];
    failed.ack$.subscribe({ error: (e) => errors.push(e) });
    failed.fail('first');
    failed.fail('second');
    expect(errors).toEqual(['first']);
  });
});
