import { Observable, take, type Subscriber } from 'rxjs';
import { holdRecord, PartitionState } from '../../../src/consumer/offsets/partition-state';
import type { ConsumerRecord } from '../../../src/consumer/types';
import { readRecordBatches } from '../../../src/protocol/records';
import { kafkaJsEncodeBatch } from '../../protocol/records/kafkajs-reference';

const values = ['a', 'b', 'c', 'd'];

async function fetched(baseOffset = 0n) {
  const data = await kafkaJsEncodeBatch(
    values.map((v) => ({ key: null, value: Buffer.from(v), timestamp: 0 })),
    { baseOffset },
  );
  return { data, records: readRecordBatches(data, { fromOffset: baseOffset }) };
}

function partition(ackMode: 'auto' | 'manual' = 'auto', highWaterMark = 1 << 20) {
  const hooks = { appended: jest.fn(), taken: jest.fn(), roomFreed: jest.fn() };
  const state = new PartitionState('t', 0, ackMode, highWaterMark, hooks);
  state.setPosition(0n);
  return { state, hooks };
}

/** Attaches a subscriber that keeps every record it gets. */
function attach(state: PartitionState, onRecord: (r: ConsumerRecord) => void = () => undefined) {
  const seen: ConsumerRecord[] = [];
  new Observable<ConsumerRecord>((subscriber: Subscriber<ConsumerRecord>) => {
    state.attach(subscriber);
    return () => state.detach(subscriber);
  }).subscribe((r) => {
    seen.push(r);
    onRecord(r);
  });
  return seen;
}

describe('PartitionState', () => {
  it('delivers fetched records in order and signals taken once per run of deliveries', async () => {
    const { state, hooks } = partition();
    const seen = attach(state);
    const { records } = await fetched();
    state.append(records, 4n, 0);
    expect(seen.map((r) => [r.offset, r.value?.toString()])).toEqual([
      [0n, 'a'],
      [1n, 'b'],
      [2n, 'c'],
      [3n, 'd'],
    ]);
    expect(hooks.taken).toHaveBeenCalledTimes(1);
    expect(state.consumed).toBe(4n);
    expect(state.bufferedRecords).toBe(0);
    expect(state.heldBytes).toBe(0);
  });

  it('keeps waiting records in bytes of their own, counted against the high-water mark', async () => {
    const { state } = partition('auto', 10);
    const { data, records } = await fetched();
    const bytes = records.bytes;
    state.append(records, 4n, 0);
    expect(state.bufferedRecords).toBe(4);
    expect(state.heldBytes).toBe(bytes);
    expect(state.isFetchable()).toBe(false);
    data.fill(0); // the Fetch response's bytes gone: the buffered records must not depend on them
    const seen = attach(state);
    expect(seen.map((r) => r.value?.toString())).toEqual(values);
    expect(state.isFetchable()).toBe(true);
  });

  it('in ack mode manual, acknowledgements made while delivering signal taken once', async () => {
    const { state, hooks } = partition('manual');
    attach(state, (r) => r.ack());
    state.append((await fetched()).records, 4n, 0);
    expect(hooks.taken).toHaveBeenCalledTimes(1);
    expect(state.consumed).toBe(4n);
    expect(state.heldBytes).toBe(0);
  });

  it('in ack mode manual, an acknowledgement after delivery signals taken and moves consumed', async () => {
    const { state, hooks } = partition('manual');
    const seen = attach(state);
    state.append((await fetched()).records, 4n, 0);
    expect(hooks.taken).toHaveBeenCalledTimes(0);
    seen[1].ack();
    expect(state.consumed).toBe(0n);
    seen[0].ack();
    expect(hooks.taken).toHaveBeenCalledTimes(2);
    expect(state.consumed).toBe(2n);
  });

  describe('records held by a stage (ack mode auto)', () => {
    it('a held record counts against the buffer and bounds consumed until its ack; records after it are done', async () => {
      const { state, hooks } = partition('auto', 1);
      const held: ConsumerRecord[] = [];
      attach(state, (r) => {
        if (r.value?.toString() === 'b' && holdRecord(r)) held.push(r);
      });
      const { records } = await fetched();
      const bytes = records.bytes;
      state.append(records, 4n, 0);
      expect(held.map((r) => r.offset)).toEqual([1n]);
      expect(state.outstandingRecords).toBe(1);
      expect(state.consumed).toBe(1n);
      expect(state.heldBytes).toBeGreaterThan(0);
      expect(state.heldBytes).toBeLessThan(bytes);
      expect(state.hasRoom()).toBe(false);
      hooks.roomFreed.mockClear();
      held[0].ack();
      expect(state.outstandingRecords).toBe(0);
      expect(state.heldBytes).toBe(0);
      expect(state.consumed).toBe(4n);
      expect(hooks.roomFreed).toHaveBeenCalledTimes(1);
    });

    it('acknowledgements out of order move consumed only up to the first held record not done', async () => {
      const { state } = partition('auto');
      const seen = attach(state, (r) => holdRecord(r));
      state.append((await fetched()).records, 4n, 0);
      expect(state.outstandingRecords).toBe(4);
      expect(state.consumed).toBe(0n);
      seen[2].ack();
      seen[1].ack();
      expect(state.consumed).toBe(0n);
      seen[0].ack();
      expect(state.consumed).toBe(3n);
      seen[3].ack();
      expect(state.consumed).toBe(4n);
    });

    it('only the record being delivered can be held: one held later was done when next returned', async () => {
      const { state } = partition('auto');
      const seen = attach(state);
      state.append((await fetched()).records, 4n, 0);
      expect(holdRecord(seen[3])).toBe(false);
      expect(state.outstandingRecords).toBe(0);
      expect(state.consumed).toBe(4n);
    });

    it('with later records still buffered, acknowledging the held one makes consumed one past it', async () => {
      const { state } = partition('auto');
      const seen: ConsumerRecord[] = [];
      // Takes one record and leaves: the other three stay buffered.
      new Observable<ConsumerRecord>((subscriber: Subscriber<ConsumerRecord>) => {
        state.attach(subscriber);
        return () => state.detach(subscriber);
      })
        .pipe(take(1))
        .subscribe((r) => {
          holdRecord(r);
          seen.push(r);
        });
      state.append((await fetched()).records, 4n, 0);
      expect(state.bufferedRecords).toBe(3);
      expect(state.consumed).toBe(0n);
      seen[0].ack();
      expect(state.consumed).toBe(1n);
    });

    it('a seek drops held records: their late acknowledgements change nothing', async () => {
      const { state } = partition('auto');
      const seen = attach(state, (r) => holdRecord(r));
      state.append((await fetched()).records, 4n, 0);
      state.seek(10n);
      expect(state.outstandingRecords).toBe(0);
      seen[0].ack();
      expect(state.consumed).toBe(10n);
    });

    it('in ack mode manual holding changes nothing: every record waits for its ack', async () => {
      const { state } = partition('manual');
      const seen = attach(state, (r) => expect(holdRecord(r)).toBe(true));
      state.append((await fetched()).records, 4n, 0);
      expect(state.outstandingRecords).toBe(4);
      for (const r of seen) r.ack();
      expect(state.consumed).toBe(4n);
    });
  });
});
