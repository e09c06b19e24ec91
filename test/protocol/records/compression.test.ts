import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compress, decompress, type Compression } from '../../../src/protocol/records';
import { KafkaRxError } from '../../../src/errors';
import { describeWith, hasCommand } from './outside-tools';
import { xxhash32 } from '../../../src/protocol/records/compression/xxhash32';

const FIXTURES = join(__dirname, '../../fixtures/records');
const fixture = (name: string): Buffer => readFileSync(join(FIXTURES, name));
const payload = fixture('payload.txt');

describe('xxhash32', () => {
  // Reference values of xxHash's XXH32 (seed 0).
  it('matches the reference for short and long inputs', () => {
    expect(xxhash32(Buffer.alloc(0))).toBe(0x02cc5d05);
    expect(xxhash32(Buffer.from('abc'))).toBe(0x32d153ff);
    expect(xxhash32(Buffer.from('Nobody inspects the spammish repetition'))).toBe(0xe2293b2f);
  });
});

describe('decompress: bytes written by outside tools (see test/fixtures/records/README.md)', () => {
  it.each([
    ['gzip', 'payload.txt.gz'],
    ['snappy', 'payload.raw.snappy'],
    ['snappy', 'payload.xerial.snappy'],
    ['lz4', 'payload.B4-independent.lz4'],
    ['lz4', 'payload.B4-blockcrc.lz4'],
    ['lz4', 'payload.B4-linked-size.lz4'],
    ['lz4', 'payload.B7.lz4'],
    ['zstd', 'payload.zst'],
    ['zstd', 'payload.stream.zst'],
  ] as [Compression, string][])('%s: %s', (codec, name) => {
    const out = decompress(codec, fixture(name));
    expect(out.length).toBe(payload.length);
    expect(out.equals(payload)).toBe(true);
  });

  it('reads two concatenated lz4 frames as one stream', () => {
    const two = Buffer.concat([fixture('payload.B4-blockcrc.lz4'), fixture('payload.B4-independent.lz4')]);
    expect(decompress('lz4', two).equals(Buffer.concat([payload, payload]))).toBe(true);
  });
});

describe('decompress: damaged input gives CorruptRecordError', () => {
  function flip(buf: Buffer, at: number): Buffer {
    const copy = Buffer.from(buf);
    copy[at] ^= 0x01;
    return copy;
  }

  it('lz4: a flipped byte in a block with a block checksum', () => {
    const frame = fixture('payload.B4-blockcrc.lz4');
    expect(() => decompress('lz4', flip(frame, 40))).toThrow(/block checksum mismatch/);
  });

  it('lz4: a flipped byte in the descriptor fails the header checksum', () => {
    expect(() => decompress('lz4', flip(fixture('payload.B4-independent.lz4'), 5))).toThrow(
      /header checksum|reserved/,
    );
  });

  it('lz4: a literal changed under the content checksum', () => {
    // The block starts at byte 19: token 0xff, a literal length byte, then the literals ("1 kafka-rx
    // ..."). Byte 22 is a literal, so only the content checksum can tell.
    const frame = fixture('payload.B4-linked-size.lz4');
    expect(() => decompress('lz4', flip(frame, 22))).toThrow(/checksum mismatch/);
  });

  it('lz4: a changed literal length shifts the sequences onto an offset outside the output', () => {
    // Byte 20 is the first literal run's extra length byte (lz4js decoded this into garbage).
    const frame = fixture('payload.B4-linked-size.lz4');
    expect(() => decompress('lz4', flip(frame, 20))).toThrow(/match offset \d+ is outside the output/);
  });

  it('lz4: a frame cut before its end mark', () => {
    const frame = fixture('payload.B4-independent.lz4');
    expect(() => decompress('lz4', frame.subarray(0, frame.length - 3))).toThrow(/truncated/);
  });

  it.each([
    ['gzip', 'payload.txt.gz'],
    ['snappy', 'payload.xerial.snappy'],
    ['snappy', 'payload.raw.snappy'],
    ['zstd', 'payload.zst'],
    ['lz4', 'payload.B4-independent.lz4'],
  ] as [Compression, string][])('%s: %s cut in half', (codec, name) => {
    const data = fixture(name);
    let error: unknown;
    try {
      decompress(codec, data.subarray(0, data.length >> 1));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(KafkaRxError);
    expect((error as KafkaRxError).name).toBe('CorruptRecordError');
  });
});

describe('compress', () => {
  const samples = [Buffer.from('x'), payload.subarray(0, 1000), payload, Buffer.alloc(200_000, 7)];

  it.each(['none', 'gzip', 'snappy', 'lz4'] as Compression[])('%s: round-trips', (codec) => {
    for (const sample of samples)
      expect(decompress(codec, compress(codec, sample)).equals(sample)).toBe(true);
  });

  it('snappy: writes the xerial stream, as the Java producer does', () => {
    const out = compress('snappy', payload);
    expect(out.subarray(0, 16).toString('hex')).toBe('82534e415050590000000001' + '00000001');
    // 32 KiB chunks: 115893 bytes make 4.
    let chunks = 0;
    for (let pos = 16; pos < out.length; pos += 4 + out.readInt32BE(pos)) chunks++;
    expect(chunks).toBe(4);
  });

  it('lz4: writes the frame Kafka writes (FLG 0x60: independent blocks; BD 0x40: 64 KiB)', () => {
    const out = compress('lz4', payload);
    expect(out.subarray(0, 6).toString('hex')).toBe('04224d186040');
    expect(out.readUInt32LE(out.length - 4)).toBe(0);
  });

  it('zstd: encodes on every Node version (node:zlib where present, else libzstd as WebAssembly)', () => {
    expect(decompress('zstd', compress('zstd', payload)).equals(payload)).toBe(true);
  });

  const lz4AndGzip = { name: 'lz4 and gzip', available: hasCommand('lz4') && hasCommand('gzip') };
  describeWith(lz4AndGzip)('read back by the Debian lz4 and gzip tools', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'kafka-rx-codec-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it.each([
      ['lz4', ['-d', '-c']],
      ['gzip', ['-d', '-c']],
    ] as [Compression & string, string[]][])('%s', (codec, args) => {
      // Sizes around the 64 KiB block boundary, plus incompressible bytes (stored blocks).
      const random = Buffer.from(
        Array.from({ length: 70_000 }, (_, i) => (Math.imul(i, 2654435761) >>> 13) & 0xff),
      );
      for (const sample of [
        payload,
        payload.subarray(0, 65536),
        payload.subarray(0, 65549),
        random,
        Buffer.from('tiny'),
      ]) {
        const file = join(dir, `sample.${codec}`);
        writeFileSync(file, compress(codec, sample));
        const out = execFileSync(codec, [...args, file], { maxBuffer: 1 << 24 });
        expect(out.equals(sample)).toBe(true);
      }
    });
  });
});
