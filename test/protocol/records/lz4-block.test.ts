import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { compressBlock, compressBound, decompressBlock } from 'lz4js';
import { decompress } from '../../../src/protocol/records';
import { lz4DecodeBlock } from '../../../src/protocol/records/compression/lz4-block';
import { describeWith, outside, pipe } from './outside-tools';

const payload = readFileSync(join(__dirname, '../../fixtures/records/payload.txt'));

/** One LZ4 block of `data` by lz4js, the reference implementation. */
function lz4jsBlock(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(compressBound(data.length));
  const size = compressBlock(data, out, 0, data.length, new Uint32Array(1 << 16));
  return out.subarray(0, size);
}

function decodeBoth(block: Uint8Array, size: number): { ours: Buffer; lz4js: Buffer } {
  const ours = new Uint8Array(size);
  const end = lz4DecodeBlock(block, 0, block.length, ours, 0, size);
  const theirs = new Uint8Array(size);
  const theirEnd = decompressBlock(block, theirs, 0, block.length, 0);
  return { ours: Buffer.from(ours.subarray(0, end)), lz4js: Buffer.from(theirs.subarray(0, theirEnd)) };
}

/** Text like the benchmark's values: 1 KiB records of a counter and a repeated filler. */
function benchText(records: number): Buffer {
  const filler = 'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(30);
  return Buffer.from(
    Array.from({ length: records }, (_, i) => `value-${i}-${filler}`.slice(0, 1024)).join(''),
  );
}

describe('lz4DecodeBlock against lz4js', () => {
  it.each([
    ['the fixture text', payload],
    ['benchmark-like records', benchText(60)],
    ['random bytes, then text', Buffer.concat([randomBytes(5000), payload])],
    ['one repeated byte (overlapping matches)', Buffer.alloc(60000, 0x61)],
    ['a short period', Buffer.from('abc'.repeat(9000))],
  ])('%s: decodes lz4js blocks byte for byte as lz4js does', (_, data) => {
    const block = lz4jsBlock(data);
    expect(block.length).toBeGreaterThan(0);
    const { ours, lz4js } = decodeBoth(block, data.length);
    expect(ours.equals(lz4js)).toBe(true);
    expect(ours.equals(data)).toBe(true);
  });

  it('decodes any bytes lz4js compressed (property)', () => {
    const repeats = [...'abcab'].map((c) => Buffer.from(c.repeat(40)));
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.uint8Array({ maxLength: 80 }), fc.constantFrom(...repeats)), { maxLength: 60 }),
        (parts) => {
          // A repeated run at the end, so lz4js always finds a match and writes a block.
          const data = Buffer.concat([...parts.map((p) => Buffer.from(p)), repeats[0]]);
          const { ours, lz4js } = decodeBoth(lz4jsBlock(data), data.length);
          expect(ours.equals(lz4js)).toBe(true);
          expect(ours.equals(data)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describeWith(outside.lz4)('lz4 frames from the lz4 CLI', () => {
  const data = Buffer.concat([benchText(400), randomBytes(3000), payload]);
  it.each([
    ['independent 64 KiB blocks', ['-B4', '-BI']],
    ['linked blocks with the content size', ['-B4', '-BD', '--content-size']],
    ['block checksums', ['-B5', '-BX']],
    ['4 MiB blocks, level 9', ['-B7', '-9']],
  ])('%s: decoded as the lz4 CLI wrote them', (_, flags) => {
    const frame = pipe('lz4', ['-q', '-c', ...flags], data);
    expect(decompress('lz4', frame).equals(data)).toBe(true);
  });
});

describe('lz4DecodeBlock on hostile blocks', () => {
  const out = () => new Uint8Array(64);

  it('refuses a match offset reaching before the output (lz4js reads the stale buffer)', () => {
    // 4 literals "abcd", then a match of 4 at offset 8: only 4 bytes exist.
    const block = Uint8Array.from([0x40, 0x61, 0x62, 0x63, 0x64, 0x08, 0x00, 0x00]);
    expect(() => lz4DecodeBlock(block, 0, block.length, out(), 0, 64)).toThrow(/match offset 8 is outside/);
    const stale = new Uint8Array(64).fill(0x7a);
    expect(() => decompressBlock(block, stale, 0, block.length, 4)).not.toThrow();
  });

  it('refuses a match into an earlier block of an independent frame', () => {
    const block = Uint8Array.from([0x00, 0x04, 0x00, 0x00]);
    const dst = new Uint8Array(64);
    expect(() => lz4DecodeBlock(block, 0, block.length, dst, 10, 64, 10)).toThrow(/outside the output/);
    expect(lz4DecodeBlock(block, 0, block.length, dst, 10, 64, 0)).toBe(14);
  });

  it.each([
    ['offset 0', [0x10, 0x61, 0x00, 0x00], /match offset 0/],
    ['literals past the block', [0x50, 0x61, 0x62], /literals run past the block/],
    ['a literal length cut short', [0xf0, 0xff], /literal length runs past/],
    ['a match offset cut short', [0x10, 0x61, 0x01], /match offset truncated/],
    [
      'a match longer than the output',
      [0x1f, 0x61, 0x01, 0x00, 0xff, 0xff, 0x00],
      /match runs past the output/,
    ],
    ['an empty block', [], /empty block/],
  ])('refuses %s', (_, bytes, message) => {
    const block = Uint8Array.from(bytes);
    expect(() => lz4DecodeBlock(block, 0, block.length, out(), 0, 64)).toThrow(message);
  });

  /** What decoding `block` into `room` bytes after 16 bytes of `fill` gives: the output, or the error's name. */
  function outcome(block: Uint8Array, room: number, fill: number): { guards: boolean; result: string } {
    const dst = new Uint8Array(16 + room + 16).fill(fill);
    let result: string;
    try {
      const end = lz4DecodeBlock(block, 0, block.length, dst, 16, 16 + room);
      result = `${end}:${Buffer.from(dst.subarray(16, end)).toString('hex')}`;
    } catch (e) {
      result = (e as Error).name;
    }
    const guards = [...dst.subarray(0, 16), ...dst.subarray(16 + room)].every((b) => b === fill);
    return { guards, result };
  }

  it('never writes past its end nor reads before its window, whatever the bytes (property)', () => {
    const valid = lz4jsBlock(Buffer.concat([payload.subarray(0, 400), Buffer.from('xyz'.repeat(50))]));
    const blocks = fc.oneof(
      fc.uint8Array({ minLength: 1, maxLength: 300 }),
      // A valid block with bytes changed: lengths and offsets that are almost right.
      fc
        .array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 4,
        })
        .map((edits) => {
          const copy = Uint8Array.from(valid);
          for (const [at, byte] of edits) copy[at] = byte;
          return copy;
        }),
    );
    fc.assert(
      fc.property(blocks, fc.integer({ min: 0, max: 1200 }), (block, room) => {
        const a = outcome(block, room, 0xee);
        const b = outcome(block, room, 0x11);
        // Guard bytes on either side untouched; the same result whatever lay before the window.
        expect(a.guards && b.guards).toBe(true);
        expect(a.result).toBe(b.result);
        expect(a.result).toMatch(/^(\d+:[0-9a-f]*|CorruptRecordError)$/);
      }),
      { numRuns: 2000 },
    );
  });
});
