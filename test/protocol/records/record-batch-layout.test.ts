import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as L from '../../../src/protocol/records/record-batch-layout';

// The header offsets every record-batch test names come from Kafka's own description of the
// format (implementation.html, "Record Batch"): each field's offset is the sum of the sizes
// of the fields before it.
const doc = readFileSync(join(__dirname, '../../../../shared/kafka-protocol/implementation.html'), 'utf8');
const sizes: Record<string, number> = { int8: 1, int16: 2, int32: 4, uint32: 4, int64: 8 };

function documentedOffsets(): Map<string, number> {
  const block = doc.slice(
    doc.indexOf('baseOffset: int64'),
    doc.indexOf('</code>', doc.indexOf('baseOffset: int64')),
  );
  const offsets = new Map<string, number>();
  let at = 0;
  for (const line of block.split('\n')) {
    const field = /^(\w+): (int8|int16|int32|uint32|int64)\b/.exec(line);
    if (!field) continue;
    offsets.set(field[1], at);
    at += sizes[field[2]];
  }
  offsets.set('(records)', at);
  return offsets;
}

describe('record batch layout', () => {
  it("names each header field at the offset Kafka's format description gives it", () => {
    const documented = documentedOffsets();
    expect({
      baseOffset: L.BASE_OFFSET,
      batchLength: L.BATCH_LENGTH,
      partitionLeaderEpoch: L.PARTITION_LEADER_EPOCH,
      magic: L.MAGIC,
      crc: L.CRC,
      attributes: L.ATTRIBUTES,
      lastOffsetDelta: L.LAST_OFFSET_DELTA,
      baseTimestamp: L.BASE_TIMESTAMP,
      maxTimestamp: L.MAX_TIMESTAMP,
      producerId: L.PRODUCER_ID,
      producerEpoch: L.PRODUCER_EPOCH,
      baseSequence: L.BASE_SEQUENCE,
      recordsCount: L.RECORDS_COUNT,
      '(records)': L.RECORD_BATCH_OVERHEAD,
    }).toEqual(Object.fromEntries(documented));
    // What batchLength does not count: baseOffset and batchLength themselves.
    expect(L.LOG_OVERHEAD).toBe(L.PARTITION_LEADER_EPOCH);
  });
});
