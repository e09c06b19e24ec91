import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { compress as snappyjsCompress, uncompress as snappyjsUncompress } from 'snappyjs';
import { compress, decompress } from '../../../src/protocol/records';
import { describeWith, outside } from './outside-tools';

const payload = readFileSync(join(__dirname, '../../fixtures/records/payload.txt'));

function benchText(records: number): Buffer {
  const filler = 'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(30);
  return Buffer.from(
    Array.from({ length: records }, (_, i) => `value-${i}-${filler}`.slice(0, 1024)).join(''),
  );
}

/** A xerial stream of the given raw blocks (snappy-java's framing). */
function xerial(blocks: Buffer[]): Buffer {
  const header = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00, 0, 0, 0, 1, 0, 0, 0, 1]);
  return Buffer.concat([
    header,
    ...blocks.flatMap((b) => {
      const length = Buffer.alloc(4);
      length.writeInt32BE(b.length);
      return [length, b];
    }),
  ]);
}

describe('snappy decoding against snappyjs', () => {
  it.each([
    ['the fixture text', payload],
    ['benchmark-like records', benchText(100)],
    ['random bytes, then text', Buffer.concat([randomBytes(70000), payload])],
    ['one repeated byte (overlapping copies)', Buffer.alloc(100000, 0x61)],
  ])('%s: raw blocks decode byte for byte as snappyjs decodes them', (_, data) => {
    const block = Buffer.from(snappyjsCompress(data));
    const ours = decompress('snappy', block);
    expect(ours.equals(Buffer.from(snappyjsUncompress(block)))).toBe(true);
    expect(ours.equals(data)).toBe(true);
  });

  it('decodes any bytes snappyjs compressed, raw and xerial-framed (property)', () => {
    const repeats = [...'abcab'].map((c) => Buffer.from(c.repeat(70)));
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.uint8Array({ maxLength: 120 }), fc.constantFrom(...repeats)), { maxLength: 60 }),
        fc.integer({ min: 1, max: 4 }),
        (parts, chunks) => {
          const data = Buffer.concat(parts.map((p) => Buffer.from(p)));
          const step = Math.ceil(data.length / chunks) || 1;
          const blocks = Array.from({ length: chunks }, (_, i) =>
            Buffer.from(snappyjsCompress(data.subarray(i * step, (i + 1) * step))),
          );
          expect(decompress('snappy', blocks[0]).equals(Buffer.from(snappyjsUncompress(blocks[0])))).toBe(
            true,
          );
          expect(decompress('snappy', xerial(blocks)).equals(data)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describeWith(outside.snappy)('snappy from libsnappy (xerial framing, through Perl)', () => {
  it('decodes what libsnappy wrote; libsnappy decodes what kafka-rx wrote', () => {
    const data = Buffer.concat([benchText(200), randomBytes(5000), payload]);
    expect(decompress('snappy', outside.snappy.compress(data)).equals(data)).toBe(true);
    expect(outside.snappy.decompress(compress('snappy', data)).equals(data)).toBe(true);
  });
});

describe('snappy on hostile input', () => {
  it('refuses a declared length the block cannot hold, before allocating it', () => {
    // Preamble: 2^28 bytes, from a 6-byte block.
    const block = Buffer.from([0x80, 0x80, 0x80, 0x80, 0x01, 0x00]);
    expect(() => decompress('snappy', block)).toThrow(
      /length 268435456 is impossible for 6 compressed bytes/,
    );
  });

  it('refuses a copy reaching into the previous xerial chunk', () => {
    const first = Buffer.from(snappyjsCompress(Buffer.from('abcdefgh')));
    // 4 bytes declared; a 1-byte-offset copy of 4 with nothing written yet in this chunk.
    const second = Buffer.from([0x04, 0x01, 0x01]);
    expect(() => decompress('snappy', xerial([first, second]))).toThrow(/copy outside the output/);
  });

  it('refuses output shorter than declared (snappyjs pads it with zeros)', () => {
    const block = Buffer.from([0x08, 0x0c, 0x61, 0x62, 0x63, 0x64]); // 8 declared, 4 literals
    expect(() => decompress('snappy', block)).toThrow(/decoded 4 bytes, the preamble says 8/);
  });

  it('damaged blocks: the output, or a CorruptRecordError, the same whatever the buffers held (property)', () => {
    const valid = Buffer.from(
      snappyjsCompress(Buffer.concat([payload.subarray(0, 600), Buffer.from('xyz'.repeat(40))])),
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 4,
        }),
        fc.boolean(),
        (edits, framed) => {
          const block = Buffer.from(valid);
          for (const [at, byte] of edits) block[at] = byte;
          const input = framed ? xerial([Buffer.from(snappyjsCompress(Buffer.from('abc'))), block]) : block;
          const run = (): string => {
            try {
              return decompress('snappy', input).toString('hex');
            } catch (e) {
              return (e as Error).name;
            }
          };
          // allocUnsafe may hand back different old bytes each time: a read of unwritten output would differ.
          const first = run();
          Buffer.alloc(4096, 0x5a);
          expect(run()).toBe(first);
          expect(first).toMatch(/^([0-9a-f]*|CorruptRecordError)$/);
        },
      ),
      { numRuns: 1500 },
    );
  });
});
