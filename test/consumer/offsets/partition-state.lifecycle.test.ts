import { Observable, type Subscriber, type Subscription } from 'rxjs';
import { PartitionState } from '../../../src/consumer/offsets/partition-state';
import type { ConsumerRecord } from '../../../src/consumer/types';
import { encodeRecordBatch, readRecordBatches } from '../../../src/protocol/records';

// A partition's life outside delivery itself: fetchability, waiting, pause and resume, seek,
// revoke and fail, stale appends and acknowledgements, each with the hooks it must call.

const batchOf = (from: bigint, count: number) =>
  readRecordBatches(
    encodeRecordBatch(
      Array.from({ length: count }, (_, i) => ({ value: Buffer.from(`v${i}`), timestamp: 0 })),
      { baseOffset: from },
    ),
  );
const recordBytes = batchOf(0n, 1).bytes;

function partition(ackMode: 'auto' | 'manual' = 'auto', highWaterMark = 1 << 20) {
  const calls: string[] = [];
  const state = new PartitionState('t', 0, ackMode, highWaterMark, {
    appended: () => calls.push('appended'),
    taken: () => calls.push('taken'),
    roomFreed: () => calls.push('roomFreed'),
  });
  return { state, calls };
}

function attach(state: PartitionState) {
  const seen: ConsumerRecord[] = [];
  let subscriber!: Subscriber<ConsumerRecord>;
  let done = '';
  const subscription: Subscription = new Observable<ConsumerRecord>((s) => {
    subscriber = s;
    state.attach(s);
    return () => state.detach(s);
  }).subscribe({
    next: (r) => seen.push(r),
    complete: () => (done = 'complete'),
    error: () => (done = 'error'),
  });
  return { seen, subscription, subscriber: () => subscriber, done: () => done };
}

describe('PartitionState lifecycle', () => {
  it('is fetchable only with a position, room, and neither paused, fetching nor revoked', () => {
    const { state } = partition('auto', recordBytes);
    expect(state.isFetchable()).toBe(false);
    state.setPosition(0n);
    expect(state.isFetchable()).toBe(true);
    state.fetching = true;
    expect(state.isFetchable()).toBe(false);
    state.fetching = false;
    state.pause();
    expect(state.isFetchable()).toBe(false);
    state.paused = false;
    // Exactly the high-water mark held: no room.
    state.append(batchOf(0n, 1), 1n, 0);
    expect(state.heldBytes).toBe(recordBytes);
    expect(state.hasRoom()).toBe(false);
    expect(state.isFetchable()).toBe(false);
    const other = partition().state;
    other.setPosition(0n);
    other.halt();
    expect(other.isFetchable()).toBe(false);
  });

  it('is waiting while records are buffered or outstanding, unless paused or revoked', () => {
    const { state } = partition('manual');
    state.setPosition(0n);
    expect(state.isWaiting()).toBe(false);
    state.append(batchOf(0n, 1), 1n, 0);
    expect(state.isWaiting()).toBe(true);
    state.pause();
    expect(state.isWaiting()).toBe(false);
    state.paused = false;
    const { seen } = attach(state);
    expect(state.bufferedRecords).toBe(0);
    expect(state.outstandingRecords).toBe(1);
    expect(state.isWaiting()).toBe(true);
    seen[0].ack();
    expect(state.isWaiting()).toBe(false);
    state.append(batchOf(1n, 1), 2n, 0);
    state.halt();
    expect(state.isWaiting()).toBe(false);
  });

  it('append: records fetched before a seek or after a revoke are dropped; an empty fetch moves position and consumed', () => {
    const { state, calls } = partition();
    state.setPosition(0n);
    state.append(batchOf(0n, 0 + 1), 1n, 0);
    expect(calls).toEqual(['appended']);
    state.seek(10n);
    expect(state.epoch).toBe(1);
    calls.length = 0;
    state.append(batchOf(1n, 1), 2n, 0);
    expect([state.position, state.bufferedRecords, calls]).toEqual([10n, 0, []]);
    const empty = batchOf(0n, 1);
    empty.next(() => undefined);
    state.append(empty, 15n, 1);
    expect([state.position, state.consumed, state.bufferedRecords, calls]).toEqual([15n, 15n, 0, []]);
    state.halt();
    state.append(batchOf(15n, 1), 16n, 2);
    expect([state.position, state.bufferedRecords]).toEqual([15n, 0]);
  });

  it('setPosition moves consumed only when nothing is buffered or outstanding', () => {
    const { state } = partition('manual');
    state.setPosition(3n);
    expect(state.consumed).toBe(3n);
    state.append(batchOf(3n, 1), 4n, 0);
    state.setPosition(9n);
    expect(state.consumed).toBe(3n);
    const { seen } = attach(state);
    state.setPosition(12n);
    expect(state.consumed).toBe(3n);
    seen[0].ack();
    expect(state.consumed).toBe(12n);
  });

  it('seek drops what is buffered and outstanding, starts from the offset, and frees room', () => {
    const { state, calls } = partition('manual', recordBytes);
    state.setPosition(0n);
    state.append(batchOf(0n, 2), 2n, 0);
    const { seen } = attach(state);
    expect(seen).toHaveLength(2);
    calls.length = 0;
    state.seek(40n);
    expect([
      state.position,
      state.consumed,
      state.bufferedRecords,
      state.outstandingRecords,
      state.heldBytes,
    ]).toEqual([40n, 40n, 0, 0, 0]);
    expect(calls).toEqual(['roomFreed']);
    // A stale acknowledgement counts as the application polling, and changes nothing else.
    seen[0].ack();
    expect(calls).toEqual(['roomFreed', 'taken']);
    expect(state.consumed).toBe(40n);
    state.append(batchOf(40n, 1), 41n, 1);
    expect(seen.map((r) => r.offset)).toEqual([0n, 1n, 40n]);
  });

  it('pause holds delivery; resume delivers and says there is room', () => {
    const { state, calls } = partition();
    state.setPosition(0n);
    const { seen } = attach(state);
    state.pause();
    state.append(batchOf(0n, 2), 2n, 0);
    expect(seen).toHaveLength(0);
    calls.length = 0;
    state.resume();
    expect(seen.map((r) => r.offset)).toEqual([0n, 1n]);
    expect(calls).toEqual(['taken', 'roomFreed']);
    const full = partition('manual', recordBytes);
    full.state.setPosition(0n);
    full.state.append(batchOf(0n, 1), 1n, 0);
    full.calls.length = 0;
    full.state.resume();
    expect(full.calls).toEqual([]);
  });

  it('halt happens once: revoke completes the subscriber, fail errors it', () => {
    const { state } = partition();
    state.setPosition(0n);
    const a = attach(state);
    state.revoke();
    expect(a.done()).toBe('complete');
    expect(state.revoked).toBe(true);
    const epoch = state.epoch;
    state.halt();
    expect(state.epoch).toBe(epoch);
    expect(state.hasSubscriber()).toBe(false);

    const other = partition().state;
    other.setPosition(0n);
    const b = attach(other);
    other.fail(new Error('bad bytes'));
    expect(b.done()).toBe('error');
    expect(other.revoked).toBe(true);
    expect(other.hasSubscriber()).toBe(false);
    other.fail(new Error('again'));
  });

  it('detach forgets only its own subscriber', () => {
    const { state } = partition();
    state.setPosition(0n);
    const a = attach(state);
    expect(state.hasSubscriber()).toBe(true);
    state.detach({} as Subscriber<ConsumerRecord>);
    expect(state.hasSubscriber()).toBe(true);
    a.subscription.unsubscribe();
    expect(state.hasSubscriber()).toBe(false);
    state.append(batchOf(0n, 1), 1n, 0);
    expect(a.seen).toHaveLength(0);
    expect(state.bufferedRecords).toBe(1);
  });

  it('in ack mode manual, an ack of a later record waits for the oldest, and a second ack changes nothing', () => {
    const { state, calls } = partition('manual', recordBytes);
    state.setPosition(0n);
    state.append(batchOf(0n, 2), 2n, 0);
    const { seen } = attach(state);
    calls.length = 0;
    seen[1].ack();
    expect(state.consumed).toBe(0n);
    expect(calls).toEqual(['taken']);
    seen[1].ack();
    expect(state.outstandingRecords).toBe(2);
    seen[0].ack();
    expect(state.consumed).toBe(2n);
    expect(state.outstandingRecords).toBe(0);
    expect(state.heldBytes).toBe(0);
    expect(calls).toEqual(['taken', 'taken', 'taken', 'roomFreed']);
  });

  it('in ack mode auto, a record ack only counts as polling', () => {
    const { state, calls } = partition();
    state.setPosition(0n);
    state.append(batchOf(0n, 1), 1n, 0);
    const { seen } = attach(state);
    calls.length = 0;
    seen[0].ack();
    expect(calls).toEqual(['taken']);
    expect(state.consumed).toBe(1n);
  });
});
