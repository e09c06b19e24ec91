import { Observable, type Subscriber } from 'rxjs';
import { PartitionState } from '../../../src/consumer/offsets/partition-state';
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
});
