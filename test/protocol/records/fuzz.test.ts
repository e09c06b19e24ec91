import fc from 'fast-check';
import {
  compress,
  crc32c,
  decodeRecords,
  decompress,
  encodeControlBatch,
  encodeRecordBatch,
  type Compression,
} from '../../../src/protocol/records';
import { KafkaRxError } from '../../../src/errors';
import { outside, required } from './outside-tools';
import * as L from '../../../src/protocol/records/record-batch-layout';

/** Runs `fn`; anything thrown must be a KafkaRxError (never a RangeError, TypeError, ...). */
function onlyKafkaRxErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (error) {
    if (!(error instanceof KafkaRxError)) throw error;
  }
}

const record = fc.record({
  key: fc.option(fc.uint8Array({ maxLength: 40 }).map(Buffer.from), { nil: null }),
  value: fc.option(fc.uint8Array({ maxLength: 200 }).map(Buffer.from), { nil: null }),
  headers: fc.array(
    fc.tuple(
      fc.string({ maxLength: 10 }),
      fc.option(fc.uint8Array({ maxLength: 10 }).map(Buffer.from), { nil: null }),
    ),
    {
      maxLength: 3,
    },
  ),
  timestamp: fc.integer({ min: 0, max: 2 ** 42 }),
});

const codecs: Compression[] = ['none', 'gzip', 'snappy', 'lz4'];

describe('fuzz: decodeRecords on bad bytes', () => {
  it('random bytes: returns or throws a KafkaRxError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.boolean(), (bytes, verifyCrc) => {
        onlyKafkaRxErrors(() => decodeRecords(Buffer.from(bytes), { verifyCrc }));
      }),
      { numRuns: 2000 },
    );
  });

  it('random bytes behind a valid batch header with a correct CRC', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: -2, max: 50 }),
        (body, codec, count) => {
          const batch = Buffer.concat([
            encodeRecordBatch([{ value: null, timestamp: 0 }]).subarray(0, 61),
            Buffer.from(body),
          ]);
          batch.writeInt32BE(batch.length - L.LOG_OVERHEAD, L.BATCH_LENGTH);
          batch.writeInt16BE(codec, L.ATTRIBUTES);
          batch.writeInt32BE(count, L.RECORDS_COUNT);
          batch.writeUInt32BE(crc32c(batch, L.ATTRIBUTES), L.CRC);
          onlyKafkaRxErrors(() => decodeRecords(batch, { isolationLevel: 'read_committed' }));
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('valid batches of every codec with bytes changed or cut: returns or throws a KafkaRxError', () => {
    const zstdBatch = required(outside.zstd) ? [zstdBatchFromCli()] : [];
    fc.assert(
      fc.property(
        fc.array(record, { minLength: 1, maxLength: 6 }),
        fc.constantFrom(...codecs),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        fc.nat(),
        (records, codec, edits, fixCrc, cut) => {
          const batches = [
            encodeRecordBatch(records, { compression: codec, producerId: 4n, transactional: true }),
            encodeControlBatch({
              type: 'ABORT',
              producerId: 4n,
              producerEpoch: 0,
              baseOffset: 10n,
              timestamp: 0,
            }),
            ...zstdBatch,
          ];
          const data = Buffer.concat(batches);
          for (const [at, byte] of edits) data[at % data.length] = byte;
          if (fixCrc)
            data.writeUInt32BE(
              crc32c(
                data,
                L.ATTRIBUTES,
                Math.min(data.length, L.LOG_OVERHEAD + Math.max(0, data.readInt32BE(L.BATCH_LENGTH))),
              ),
              17,
            );
          const input = data.subarray(0, data.length - (cut % 8 === 0 ? cut % data.length : 0));
          const options = {
            abortedTransactions: [{ producerId: 4n, firstOffset: 0n }],
            isolationLevel: 'read_committed' as const,
          };
          onlyKafkaRxErrors(() => decodeRecords(input, { ...options, verifyCrc: false }));
          onlyKafkaRxErrors(() => decodeRecords(input, options));
        },
      ),
      { numRuns: 600 },
    );
  });
});

describe('fuzz: codecs', () => {
  it('round-trip any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.constantFrom(...codecs), (bytes, codec) => {
        const data = Buffer.from(bytes);
        expect(decompress(codec, compress(codec, data)).equals(data)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('damaged compressed data: returns or throws a KafkaRxError', () => {
    const zstdSample = required(outside.zstd)
      ? outside.zstd.compress(Buffer.from('a zstd frame '.repeat(50)))
      : null;
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 2000 }),
        fc.constantFrom<Compression>('gzip', 'snappy', 'lz4', 'zstd'),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
        fc.nat(),
        (bytes, codec, edits, cut) => {
          const source = Buffer.from(bytes);
          const data = codec === 'zstd' ? Buffer.from(zstdSample ?? source) : compress(codec, source);
          for (const [at, byte] of edits) data[at % data.length] = byte;
          onlyKafkaRxErrors(() =>
            decompress(codec, data.subarray(0, data.length - (cut % (data.length + 1)))),
          );
          onlyKafkaRxErrors(() => decompress(codec, source));
        },
      ),
      { numRuns: 800 },
    );
  });
});

/** A zstd batch whose records the zstd CLI compressed. */
function zstdBatchFromCli(): Buffer {
  const plain = encodeRecordBatch(
    [{ key: Buffer.from('z'), value: Buffer.from('zstd value'), timestamp: 1 }],
    { baseOffset: 11n },
  );
  const compressed = outside.zstd.compress(plain.subarray(61));
  const batch = Buffer.concat([plain.subarray(0, 61), compressed]);
  batch.writeInt32BE(batch.length - L.LOG_OVERHEAD, L.BATCH_LENGTH);
  batch.writeInt16BE(4, L.ATTRIBUTES);
  batch.writeUInt32BE(crc32c(batch, L.ATTRIBUTES), L.CRC);
  expect(decodeRecords(batch).records[0].value!.toString()).toBe('zstd value');
  return batch;
}
