import { utf8Length, writeUtf8 } from '../../../src/protocol/records/utf8';

// Node's own encoder is the judge: the fast path must give its bytes for every kind of string.
const texts = [
  '',
  'k1',
  'k123456',
  'a'.repeat(64),
  'a'.repeat(65),
  'é',
  'key-é',
  'abc€def',
  '😀 emoji',
  'x'.repeat(63) + 'ü',
  'lone \ud800 surrogate',
  '\u007f\u0080',
  'ü'.repeat(100),
];

describe('utf8', () => {
  it.each(texts)('measures %j as Buffer.byteLength does', (text) => {
    expect(utf8Length(text)).toBe(Buffer.byteLength(text, 'utf8'));
  });

  it.each(texts)('writes %j as Buffer.from does, at an offset, and returns the end', (text) => {
    const expected = Buffer.from(text, 'utf8');
    const out = Buffer.alloc(expected.length + 6, 0xaa);
    const end = writeUtf8(out, 3, text);
    expect(end).toBe(3 + expected.length);
    expect(out.subarray(3, end)).toEqual(expected);
    expect([...out.subarray(0, 3), ...out.subarray(end)]).toEqual([0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa]);
  });

  it('writes into a plain Uint8Array too', () => {
    const out = new Uint8Array(12);
    expect(writeUtf8(out, 1, 'k€')).toBe(5);
    expect(Buffer.from(out.subarray(1, 5))).toEqual(Buffer.from('k€'));
  });
});
