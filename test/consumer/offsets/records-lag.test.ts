import { Observable } from 'rxjs';
import { PartitionRegistry } from '../../../src/consumer/offsets/partition-registry';
import { recordsLag } from '../../../src/consumer/offsets/records-lag';
import type { ConsumerRecord } from '../../../src/consumer/types';
import { encodeRecordBatch, readRecordBatches } from '../../../src/protocol/records';

const fetched = (from: bigint, count: number) =>
  readRecordBatches(
    encodeRecordBatch(
      Array.from({ length: count }, (_, i) => ({ value: Buffer.from(`v${i}`), timestamp: 0 })),
      { baseOffset: from },
    ),
  );

describe('recordsLag', () => {
  it('gives end minus delivery position for each partition with both known, sorted by topic and partition', () => {
    const registry = new PartitionRegistry('auto', 1 << 20);
    const b1 = registry.add({ topic: 'b', partition: 1 });
    const a2 = registry.add({ topic: 'a', partition: 2 });
    const a0 = registry.add({ topic: 'a', partition: 0 });
    b1.setPosition(4n);
    b1.endOffset = 10n;
    a2.setPosition(7n);
    a2.endOffset = 7n;
    // Buffered but not delivered (no subscriber): the application's position is where the buffer starts.
    a0.setPosition(0n);
    a0.append(fetched(0n, 3), 3n, 0);
    a0.endOffset = 5n;
    expect(recordsLag(registry)).toEqual([
      { topic: 'a', partition: 0, position: 0n, highWatermark: 5n, lag: 5n },
      { topic: 'a', partition: 2, position: 7n, highWatermark: 7n, lag: 0n },
      { topic: 'b', partition: 1, position: 4n, highWatermark: 10n, lag: 6n },
    ]);
    // Two delivered: the position is one past the last delivered record.
    let taken = 0;
    new Observable<ConsumerRecord>((s) => a0.attach(s)).subscribe(() => {
      if (++taken === 2) a0.pause();
    });
    expect(recordsLag(registry)[0]).toEqual({
      topic: 'a',
      partition: 0,
      position: 2n,
      highWatermark: 5n,
      lag: 3n,
    });
  });

  it('leaves out partitions without a position or an end, and revoked ones', () => {
    const registry = new PartitionRegistry('auto', 1 << 20);
    const noEnd = registry.add({ topic: 't', partition: 0 });
    noEnd.setPosition(1n);
    const noPosition = registry.add({ topic: 't', partition: 1 });
    noPosition.endOffset = 9n;
    const revoked = registry.add({ topic: 't', partition: 2 });
    revoked.setPosition(1n);
    revoked.endOffset = 9n;
    revoked.halt();
    expect(recordsLag(registry)).toEqual([]);
  });
});
