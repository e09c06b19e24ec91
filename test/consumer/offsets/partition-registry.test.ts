import { Observable, Subject } from 'rxjs';
import { PartitionRegistry } from '../../../src/consumer/offsets/partition-registry';
import type { ConsumerRecord } from '../../../src/consumer/types';
import { encodeRecordBatch, readRecordBatches } from '../../../src/protocol/records';

const tp = (topic: string, partition: number) => ({ topic, partition });

function counting(registry: PartitionRegistry) {
  const counts = { taken: 0, demand: 0, appended: 0 };
  registry.taken$.subscribe(() => counts.taken++);
  registry.demand$.subscribe(() => counts.demand++);
  registry.appended$.subscribe(() => counts.appended++);
  return counts;
}

const oneRecord = (offset: bigint) =>
  readRecordBatches(encodeRecordBatch([{ value: Buffer.from('v'), timestamp: 0 }], { baseOffset: offset }));

describe('PartitionRegistry', () => {
  it('keeps one state per partition, with the ack mode and high-water mark it was made with', () => {
    const registry = new PartitionRegistry('manual', 5);
    const a = registry.add(tp('t', 0));
    expect(registry.add(tp('t', 0))).toBe(a);
    expect(registry.get(tp('t', 0))).toBe(a);
    expect(registry.get(tp('t', 1))).toBeUndefined();
    expect([a.topic, a.partition]).toEqual(['t', 0]);
    const b = registry.add(tp('u', 0));
    expect(registry.all()).toEqual([a, b]);
    // High-water mark 5 bytes: one record fills it; in ack mode manual it stays outstanding once delivered.
    a.setPosition(0n);
    a.append(oneRecord(0n), 1n, 0);
    expect(a.hasRoom()).toBe(false);
    new Observable<ConsumerRecord>((s) => a.attach(s)).subscribe();
    expect(a.outstandingRecords).toBe(1);
    expect(a.consumed).toBe(0n);
  });

  it('wires each partition to taken$, appended$ and demand$', () => {
    const registry = new PartitionRegistry('auto', 1 << 20);
    const counts = counting(registry);
    const state = registry.add(tp('t', 0));
    state.setPosition(0n);
    new Observable<ConsumerRecord>((s) => state.attach(s)).subscribe();
    state.append(oneRecord(0n), 1n, 0);
    expect(counts).toEqual({ taken: 1, demand: 0, appended: 1 });
    state.resume();
    expect(counts.demand).toBe(1);
  });

  it('demand$ emits at once on subscribing when a partition may be fetched now, and not when none may', () => {
    const registry = new PartitionRegistry('auto', 1 << 20);
    const a = registry.add(tp('t', 0));
    // No position yet: nothing to fetch.
    expect(counting(registry).demand).toBe(0);
    a.setPosition(5n);
    expect(counting(registry).demand).toBe(1);
    a.pause();
    expect(counting(registry).demand).toBe(0);
  });

  it('fetchWhenDone: one demand when the positioning stream ends, none while it runs', () => {
    const registry = new PartitionRegistry('auto', 1 << 20);
    const counts = counting(registry);
    const states = [registry.add(tp('t', 0)), registry.add(tp('t', 1))];
    const positions = new Subject<bigint>();
    positions
      .pipe(registry.fetchWhenDone())
      .subscribe((offset) => states.forEach((s) => s.setPosition(offset)));
    positions.next(3n);
    expect(counts.demand).toBe(0);
    positions.complete();
    expect(counts.demand).toBe(1);
    expect(states.every((s) => s.isFetchable())).toBe(true);
  });

  it('revoke removes and revokes the given partitions it owns, and returns them', () => {
    const registry = new PartitionRegistry('auto', 100);
    const a = registry.add(tp('t', 0));
    const b = registry.add(tp('t', 1));
    let completed = false;
    new Observable<ConsumerRecord>((s) => a.attach(s)).subscribe({ complete: () => (completed = true) });
    expect(registry.revoke([tp('t', 0), tp('x', 9)])).toEqual([a]);
    expect(a.revoked).toBe(true);
    expect(completed).toBe(true);
    expect(b.revoked).toBe(false);
    expect(registry.all()).toEqual([b]);
    expect(registry.get(tp('t', 0))).toBeUndefined();
  });

  it('consumedOffsets: of the given partitions, or of all; only those with a consumed offset', () => {
    const registry = new PartitionRegistry('auto', 100);
    registry.add(tp('t', 0)).setPosition(5n);
    registry.add(tp('t', 1));
    registry.add(tp('t', 2)).setPosition(7n);
    expect(registry.consumedOffsets()).toEqual([
      { topic: 't', partition: 0, offset: 5n },
      { topic: 't', partition: 2, offset: 7n },
    ]);
    expect(registry.consumedOffsets([tp('t', 2), tp('t', 1), tp('x', 0)])).toEqual([
      { topic: 't', partition: 2, offset: 7n },
    ]);
    expect(registry.consumedOffsets([])).toEqual([]);
  });

  it('waiting: records buffered for the application in some partition not paused', () => {
    const registry = new PartitionRegistry('auto', 1 << 20);
    const a = registry.add(tp('t', 0));
    registry.add(tp('t', 1));
    expect(registry.waiting()).toBe(false);
    a.setPosition(0n);
    a.append(oneRecord(0n), 1n, 0);
    expect(registry.waiting()).toBe(true);
    a.pause();
    expect(registry.waiting()).toBe(false);
  });
});
