import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { decompress as fzstdDecompress } from 'fzstd';
import { compress, decompress } from '../../../src/protocol/records';
import { zstdContentSize, zstdInNodeZlib } from '../../../src/protocol/records/compression/zstd';
import { describeWith, outside } from './outside-tools';

function benchText(records: number): Buffer {
  const filler = 'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(30);
  return Buffer.from(
    Array.from({ length: records }, (_, i) => `value-${i}-${filler}`.slice(0, 1024)).join(''),
  );
}

const data = Buffer.concat([benchText(300), randomBytes(20000)]);

describe('zstd decoding', () => {
  it('encodes with node:zlib where the runtime has zstd (Node 22.15+, 23.8+), else WebAssembly', () => {
    const [major, minor] = process.versions.node.split('.').map(Number);
    const hasZstd = major > 23 || (major === 23 && minor >= 8) || (major === 22 && minor >= 15);
    expect(zstdInNodeZlib).toBe(hasZstd);
  });

  it('reads the content size our frames declare, and decodes them as fzstd does', () => {
    const frame = compress('zstd', data);
    expect(zstdContentSize(frame)).toBe(data.length);
    const ours = decompress('zstd', frame);
    expect(ours.equals(Buffer.from(fzstdDecompress(frame)))).toBe(true);
    expect(ours.equals(data)).toBe(true);
  });

  it('decodes concatenated frames (more output than the first frame declares)', () => {
    const two = Buffer.concat([compress('zstd', data), compress('zstd', benchText(50))]);
    expect(decompress('zstd', two).equals(Buffer.concat([data, benchText(50)]))).toBe(true);
  });

  it('refuses a declared size no frame of that length can hold, before allocating it', () => {
    const frame = Buffer.from(compress('zstd', Buffer.from('abc'.repeat(100))));
    // Frame_Header_Descriptor 0xe0: single segment, 8-byte content size (2^40) at byte 5.
    const lying = Buffer.concat([
      Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0xe0, 0, 0, 0, 0, 0, 1, 0, 0]),
      frame.subarray(6),
    ]);
    expect(zstdContentSize(lying)).toBe(2 ** 40);
    expect(() => decompress('zstd', lying)).toThrow(/content size 1099511627776 is impossible/);
  });

  it('damaged frames: the output or a CorruptRecordError, and the decoder keeps working (property)', () => {
    const valid = compress('zstd', benchText(20));
    const check = compress('zstd', data);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 4,
        }),
        fc.nat(),
        (edits, cut) => {
          const frame = Buffer.from(valid);
          for (const [at, byte] of edits) frame[at] = byte;
          let outcome: string;
          try {
            outcome = `bytes:${decompress('zstd', frame.subarray(0, frame.length - (cut % 8))).length}`;
          } catch (e) {
            outcome = (e as Error).name;
          }
          expect(outcome).toMatch(/^(bytes:\d+|CorruptRecordError)$/);
          expect(decompress('zstd', check).equals(data)).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describeWith(outside.zstd)('zstd frames from the zstd CLI', () => {
  it('decodes a frame streamed through standard input (no content size, as the Java producer writes)', () => {
    const frame = outside.zstd.compress(data);
    expect(zstdContentSize(frame)).toBe(-1);
    expect(decompress('zstd', frame).equals(data)).toBe(true);
  });

  it('decodes a frame without a content size that holds more than the first guess (1 MiB, or 64 x its length)', () => {
    const zeros = Buffer.alloc(12 * 1024 * 1024);
    const frame = outside.zstd.compress(zeros);
    expect(Math.max(1 << 20, frame.length * 64)).toBeLessThan(zeros.length);
    expect(decompress('zstd', frame).equals(zeros)).toBe(true);
  });

  it('what kafka-rx writes, the zstd CLI reads', () => {
    expect(outside.zstd.decompress(compress('zstd', data)).equals(data)).toBe(true);
  });
});
