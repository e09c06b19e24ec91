import { DemoTally } from '../../src/cli/demo-tally';
import type { ConsumerRecord } from '../../src/consumer';

const record = (partition: number, offset: bigint, value: string): ConsumerRecord => ({
  topic: 't',
  partition,
  offset,
  timestamp: 0,
  key: null,
  value: Buffer.from(value),
  headers: [],
  ack: () => undefined,
});

describe('DemoTally', () => {
  it('counts duplicates by value, missing records, and lag from the highest offset consumed', () => {
    const tally = new DemoTally();
    tally.acked(['a', 'b', 'c', 'd']);
    tally.record(record(0, 0n, 'a'));
    tally.record(record(0, 1n, 'b'));
    tally.record(record(1, 0n, 'c'));
    // Redelivered after a rebalance.
    tally.record(record(0, 1n, 'b'));

    expect([tally.produced, tally.consumed, tally.unique, tally.duplicates, tally.missing]).toEqual([
      4, 4, 3, 1, 1,
    ]);
    expect(
      tally.lag([
        { partition: 0, highWatermark: 2n },
        { partition: 1, highWatermark: 2n },
        { partition: 2, highWatermark: 3n },
      ]),
    ).toBe(0n + 1n + 3n);
  });
});
