import { sealRecordBatch } from '../../src/protocol/records/record-batch-encoder';
import { ProducerBatch } from '../../src/producer/producer-batch';
import { estimateRecordSize, type ProducerRecord } from '../../src/producer/producer-record';
import { kafkaJsEncodeBatch, type KafkaJsRecord } from '../protocol/records/kafkajs-reference';

const records: ProducerRecord[] = [
  { topic: 't', key: 'k0', value: 'a value', timestamp: 1_700_000_000_500 },
  {
    topic: 't',
    key: Buffer.from([0, 1, 2]),
    value: Buffer.from('bytes'),
    headers: { h: 'x', g: Buffer.from('y') },
  },
  { topic: 't', key: null, value: 'über ünïcödé ☕', timestamp: 1_700_000_000_100 }, // earlier: a negative delta
  { topic: 't', value: null, headers: [['n', 'v']] },
  { topic: 't', key: 'big', value: 'z'.repeat(5000) }, // past the buffer's first capacity
];
const NOW = 1_700_000_000_777;

const bytes = (data: Buffer | string | null | undefined): Buffer | null =>
  data === null || data === undefined ? null : Buffer.from(data);

/** The same records as KafkaJS's encoder takes them. */
const asKafkaJs: KafkaJsRecord[] = records.map((r) => ({
  key: bytes(r.key),
  value: bytes(r.value),
  headers: Object.fromEntries(
    (Array.isArray(r.headers) ? r.headers : Object.entries(r.headers ?? {})).map(([k, v]) => [
      k,
      Buffer.from(v),
    ]),
  ),
  timestamp: r.timestamp ?? NOW,
}));

describe('ProducerBatch writes each record into its buffer as it is appended', () => {
  it('seals into the batch KafkaJS encodes for the same records, byte for byte', async () => {
    const batch = new ProducerBatch('t', 0, 0, 1024);
    records.forEach((r, i) => expect(batch.tryAppend(r, NOW, estimateRecordSize(r), 1 << 20)).toBe(i));
    const options = { producerId: 7n, producerEpoch: 1, baseSequence: 40 };
    const ours = sealRecordBatch(batch, options);
    expect(ours.equals(await kafkaJsEncodeBatch(asKafkaJs, options))).toBe(true);
    // Sealed again with another stamp (a retry after a new producer id): the same records.
    const again = sealRecordBatch(batch, { ...options, producerEpoch: 2, baseSequence: 0 });
    expect(
      again.equals(await kafkaJsEncodeBatch(asKafkaJs, { ...options, producerEpoch: 2, baseSequence: 0 })),
    ).toBe(true);
  });

  it('never writes more than the estimated size of a record', () => {
    const batch = new ProducerBatch('t', 0, 0, 16);
    let estimated = 0;
    for (const r of records) {
      const before = batch.end;
      const size = estimateRecordSize(r);
      batch.tryAppend(r, NOW, size, 1 << 20);
      estimated += size;
      expect(batch.end - before).toBeLessThanOrEqual(size);
    }
    expect(batch.sizeBytes).toBe(61 + estimated);
  });

  it('gives each record its metadata: offset from the base, its own CreateTime', () => {
    const batch = new ProducerBatch('t', 3, 0, 1024);
    records.forEach((r) => batch.tryAppend(r, NOW, estimateRecordSize(r), 1 << 20));
    const ack = { baseOffset: 100n, logAppendTimeMs: -1 };
    expect([0, 1, 2].map((i) => batch.metadataOf(i, ack))).toEqual([
      { topic: 't', partition: 3, offset: 100n, timestamp: 1_700_000_000_500 },
      { topic: 't', partition: 3, offset: 101n, timestamp: NOW },
      { topic: 't', partition: 3, offset: 102n, timestamp: 1_700_000_000_100 },
    ]);
  });

  it('gives exact offsets beyond 2^53 too', () => {
    const batch = new ProducerBatch('t', 0, 0, 1024);
    records.forEach((r) => batch.tryAppend(r, NOW, estimateRecordSize(r), 1 << 20));
    const far = { baseOffset: 2n ** 62n + 1n, logAppendTimeMs: -1 };
    const near = { baseOffset: 2n ** 53n - 2n ** 31n, logAppendTimeMs: -1 };
    expect([0, 2].map((i) => batch.metadataOf(i, far).offset)).toEqual([2n ** 62n + 1n, 2n ** 62n + 3n]);
    expect([0, 2].map((i) => batch.metadataOf(i, near).offset)).toEqual([
      2n ** 53n - 2n ** 31n,
      2n ** 53n - 2n ** 31n + 2n,
    ]);
  });

  it('lets go of the records’ bytes once settled, keeping what metadata needs', () => {
    const batch = new ProducerBatch('t', 0, 0, 1024);
    records.forEach((r) => batch.tryAppend(r, NOW, estimateRecordSize(r), 1 << 20));
    batch.encoded = sealRecordBatch(batch);
    expect(batch.buffer.length).toBeGreaterThan(5000);
    batch.complete({ baseOffset: 7n, logAppendTimeMs: -1 });
    expect(batch.buffer.length).toBe(0);
    expect(batch.encoded).toBeUndefined();
    expect(batch.metadataOf(4, batch.ack!)).toEqual({
      topic: 't',
      partition: 0,
      offset: 11n,
      timestamp: NOW,
    });
  });
});
