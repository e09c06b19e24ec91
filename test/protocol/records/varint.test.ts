import {
  RecordCursor,
  sizeOfVarint,
  sizeOfVarlong,
  writeVarint,
  writeVarlong,
} from '../../../src/protocol/records/varint';
import { CorruptRecordError } from '../../../src/protocol/records/errors';

// The expected bytes come from the protobuf definition of zigzag varints, computed here with
// bigints (an implementation of its own), not from the writer under test.
function zigzagBytes(value: bigint): number[] {
  let u = value >= 0n ? value * 2n : -value * 2n - 1n;
  const out: number[] = [];
  while (u >= 0x80n) {
    out.push(Number(u & 0x7fn) | 0x80);
    u >>= 7n;
  }
  out.push(Number(u));
  return out;
}

const int32Values = [
  0, 1, -1, 63, -64, 64, -65, 8191, -8192, 8192, 1048575, -1048576, 1048576, 134217727, -134217728, 134217728,
  2147483647, -2147483648,
];
const longValues = [
  ...int32Values,
  2 ** 35,
  -(2 ** 35),
  1_700_000_000_123,
  -1_700_000_000_123,
  2 ** 52,
  -(2 ** 52),
];

const cursor = (bytes: number[], end = bytes.length) => new RecordCursor(Buffer.from(bytes), 0, end);

describe('zigzag varints (records v2)', () => {
  it.each(int32Values)('varint %i: written, sized and read as protobuf defines it', (value) => {
    const expected = zigzagBytes(BigInt(value));
    const buf = Buffer.alloc(8, 0xaa);
    expect(writeVarint(buf, 1, value)).toBe(1 + expected.length);
    expect([...buf.subarray(1, 1 + expected.length)]).toEqual(expected);
    expect(sizeOfVarint(value)).toBe(expected.length);
    const c = cursor(expected);
    expect(c.readVarint()).toBe(value);
    expect(c.pos).toBe(expected.length);
  });

  it.each(longValues)('varlong %d: written, sized and read as protobuf defines it', (value) => {
    const expected = zigzagBytes(BigInt(value));
    const buf = Buffer.alloc(12, 0xaa);
    expect(writeVarlong(buf, 1, value)).toBe(1 + expected.length);
    expect([...buf.subarray(1, 1 + expected.length)]).toEqual(expected);
    expect(sizeOfVarlong(value)).toBe(expected.length);
    const c = cursor(expected);
    expect(c.readVarlong()).toBe(value);
    expect(c.pos).toBe(expected.length);
  });

  it('reads varints one after another from where the last one ended', () => {
    const bytes = [...zigzagBytes(300n), ...zigzagBytes(-2n), ...zigzagBytes(1_000_000n)];
    const c = cursor(bytes);
    expect([c.readVarint(), c.readVarint(), c.readVarint()]).toEqual([300, -2, 1_000_000]);
  });

  it.each([1, 2, 3, 4, 5])('a varint of %i bytes cut short by the end of the record is corrupt', (length) => {
    const full = zigzagBytes(BigInt(-(2 ** (7 * length - 1)) + 1)).slice(0, length);
    expect(full).toHaveLength(length);
    // The bytes are there, but past `end`: the reader must not look at them.
    const c = cursor(full, length - 1);
    expect(() => c.readVarint()).toThrow(new CorruptRecordError('record runs past the end of its batch'));
  });

  it('a varint longer than 5 bytes is corrupt', () => {
    expect(() => cursor([0x80, 0x80, 0x80, 0x80, 0x80, 0x01]).readVarint()).toThrow(
      new CorruptRecordError('varint longer than 5 bytes'),
    );
  });

  it.each([1, 5, 10])('a varlong of %i bytes cut short is corrupt', (length) => {
    const bytes = [...Array(length - 1).fill(0x80), 0x01];
    expect(cursor(bytes).readVarlong()).toBe(length === 1 ? -1 : 2 ** (7 * (length - 1) - 1));
    expect(() => cursor(bytes, length - 1).readVarlong()).toThrow(CorruptRecordError);
  });

  it('a varlong longer than 10 bytes is corrupt', () => {
    expect(() => cursor([...Array(10).fill(0x80), 0x01]).readVarlong()).toThrow(
      new CorruptRecordError('varlong longer than 10 bytes'),
    );
  });
});
