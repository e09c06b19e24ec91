/* eslint-disable @typescript-eslint/no-require-imports */
import fc from 'fast-check';
import { struct } from 'buffer-layout';
import { KafkaRxError } from '../../src/errors';
import { DecodeError, EncodeError } from '../../src/protocol/errors';
import {
  ArrayLayout,
  boolean,
  bytes,
  compactBytes,
  compactNullableBytes,
  compactNullableString,
  compactString,
  float64,
  int16,
  int32,
  int64,
  int8,
  nullableBytes,
  nullableString,
  string,
  taggedFields,
  uint16,
  uint32,
  uuid,
  uvarint,
  varint,
  varlong,
  ZERO_UUID,
  type KafkaLayout,
} from '../../src/protocol/primitives';
import { hex } from '../support/hex';

// KafkaJS, an independent implementation, is the outside reference for the byte layouts.
const Encoder = require('kafkajs/src/protocol/encoder');
const Decoder = require('kafkajs/src/protocol/decoder');

const SEED = 20241001;
const runs = { seed: SEED, numRuns: 300 };
const kjs = (write: (e: any) => void): Buffer => {
  const e = new Encoder();
  write(e);
  return Buffer.from(e.buffer);
};

function decodeError(f: () => unknown): DecodeError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DecodeError);
    expect(e).toBeInstanceOf(KafkaRxError);
    expect((e as Error).name).toBe('DecodeError');
    return e as DecodeError;
  }
  throw new Error('expected a DecodeError');
}

describe('varints, against the protobuf encoding Kafka documents', () => {
  // Examples from the protobuf encoding guide: 1 -> 01, 150 -> 96 01, 300 -> ac 02, and its zigzag table.
  test.each([
    [0, '00'],
    [1, '01'],
    [127, '7f'],
    [128, '80 01'],
    [150, '96 01'],
    [300, 'ac 02'],
    [16383, 'ff 7f'],
    [16384, '80 80 01'],
    [2 ** 31 - 1, 'ff ff ff ff 07'],
    [2 ** 32 - 1, 'ff ff ff ff 0f'],
  ])('unsigned varint %d is %s', (v, bytesHex) => {
    expect(uvarint.toBuffer(v)).toEqual(hex(bytesHex));
    expect(uvarint.decode(hex(bytesHex))).toBe(v);
    expect(uvarint.getSpan(hex(bytesHex))).toBe(hex(bytesHex).length);
  });

  test.each([
    [0, '00'],
    [-1, '01'],
    [1, '02'],
    [-2, '03'],
    [2147483647, 'fe ff ff ff 0f'],
    [-2147483648, 'ff ff ff ff 0f'],
  ])('zigzag varint %d is %s', (v, bytesHex) => {
    expect(varint.toBuffer(v)).toEqual(hex(bytesHex));
    expect(varint.decode(hex(bytesHex))).toBe(v);
  });

  test.each([
    [0n, '00'],
    [-1n, '01'],
    [1n, '02'],
    [-64n, '7f'],
    [64n, '80 01'],
    [2n ** 63n - 1n, 'fe ff ff ff ff ff ff ff ff 01'],
    [-(2n ** 63n), 'ff ff ff ff ff ff ff ff ff 01'],
  ])('zigzag varlong %s is %s', (v, bytesHex) => {
    expect(varlong.toBuffer(v)).toEqual(hex(bytesHex));
    expect(varlong.decode(hex(bytesHex))).toBe(v);
  });

  test('varint, unsigned varint and varlong match KafkaJS for random values, both ways', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), (v) => {
        const ref = kjs((e) => e.writeVarInt(v));
        expect(varint.toBuffer(v)).toEqual(ref);
        expect(varint.decode(ref)).toBe(v);
      }),
      runs,
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (v) => {
        const ref = kjs((e) => e.writeUVarInt(v));
        expect(uvarint.toBuffer(v)).toEqual(ref);
        expect(new Decoder(uvarint.toBuffer(v)).readUVarInt()).toBe(v);
      }),
      runs,
    );
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (v) => {
        const ref = kjs((e) => e.writeVarLong(v));
        expect(varlong.toBuffer(v)).toEqual(ref);
        expect(varlong.decode(ref)).toBe(v);
      }),
      runs,
    );
  });

  test('a varint longer than 5 bytes and a varlong longer than 10 are rejected, as Kafka does', () => {
    decodeError(() => uvarint.decode(hex('ff ff ff ff ff 01')));
    decodeError(() => varlong.decode(hex('ff ff ff ff ff ff ff ff ff ff 01')));
  });

  test('a varint cut short is a DecodeError', () => {
    decodeError(() => uvarint.decode(hex('ff ff')));
    decodeError(() => varlong.decode(hex('80 80 80 80 80 80')));
    decodeError(() => varint.decode(Buffer.alloc(0)));
  });
});

describe('fixed-width numbers, against KafkaJS', () => {
  test('int8, int16, int32, uint32, float64 and boolean', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -128, max: 127 }),
        fc.integer({ min: -32768, max: 32767 }),
        fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.double(),
        fc.boolean(),
        (a, b, c, d, f, g) => {
          expect(int8.toBuffer(a)).toEqual(kjs((e) => e.writeInt8(a)));
          expect(int16.toBuffer(b)).toEqual(kjs((e) => e.writeInt16(b)));
          expect(int32.toBuffer(c)).toEqual(kjs((e) => e.writeInt32(c)));
          expect(uint32.toBuffer(d)).toEqual(kjs((e) => e.writeUInt32(d)));
          expect(float64.toBuffer(f)).toEqual(kjs((e) => e.writeDouble(f)));
          expect(boolean.toBuffer(g)).toEqual(kjs((e) => e.writeBoolean(g)));
          expect(int32.decode(kjs((e) => e.writeInt32(c)))).toBe(c);
          expect(float64.decode(kjs((e) => e.writeDouble(f)))).toBe(f);
        },
      ),
      runs,
    );
  });

  test('int64 is a bigint both ways, never a lossy number', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (v) => {
        const ref = kjs((e) => e.writeInt64(v));
        expect(int64.toBuffer(v)).toEqual(ref);
        expect(int64.decode(ref)).toBe(v);
        expect(new Decoder(int64.toBuffer(v)).readInt64()).toBe(v);
      }),
      runs,
    );
    expect(int64.decode(hex('00 20 00 00 00 00 00 01'))).toBe(2n ** 53n + 1n);
    // A safe-integer number is accepted on encode.
    const b = Buffer.alloc(8);
    expect(int64.write(-1, b, 0)).toBe(8);
    expect(b).toEqual(hex('ff ff ff ff ff ff ff ff'));
  });

  test('uint16 (a port) is big-endian unsigned', () => {
    expect(uint16.toBuffer(9092)).toEqual(hex('23 84'));
    expect(uint16.decode(hex('ff ff'))).toBe(65535);
  });

  test('a boolean reads any non-zero byte as true', () => {
    expect(boolean.decode(hex('02'))).toBe(true);
    expect(boolean.decode(hex('00'))).toBe(false);
  });

  test('values out of range or of the wrong type are EncodeErrors', () => {
    expect(() => int8.toBuffer(128)).toThrow(EncodeError);
    expect(() => int16.toBuffer(40000)).toThrow(EncodeError);
    expect(() => int32.toBuffer(2 ** 31)).toThrow(/expected an int32, got 2147483648/);
    expect(() => int32.toBuffer(1.5)).toThrow(EncodeError);
    expect(() => int32.toBuffer('1' as any)).toThrow(EncodeError);
    expect(() => uint16.toBuffer(-1)).toThrow(EncodeError);
    expect(() => int64.toBuffer(2n ** 63n)).toThrow(EncodeError);
    expect(() => int64.sizeOf(2 ** 53)).toThrow(EncodeError);
    expect(() => boolean.toBuffer(1 as any)).toThrow(EncodeError);
  });

  test('reading past the end is a DecodeError, never a RangeError', () => {
    for (const layout of [
      int8,
      int16,
      uint16,
      int32,
      uint32,
      int64,
      float64,
      boolean,
      uuid,
    ] as KafkaLayout<any>[]) {
      const e = decodeError(() => layout.decode(Buffer.alloc(layout.span - 1)));
      expect(e.offset).toBe(0);
    }
    decodeError(() => int32.decode(Buffer.alloc(8), 6));
  });
});

describe('strings and bytes, against KafkaJS', () => {
  const text = fc.string({ unit: 'grapheme', maxLength: 60 });

  test('string and nullable string: int16 length, -1 for null', () => {
    fc.assert(
      fc.property(text, (s) => {
        const ref = kjs((e) => e.writeString(s));
        expect(string.toBuffer(s)).toEqual(ref);
        expect(nullableString.toBuffer(s)).toEqual(ref);
        expect(string.decode(ref)).toBe(s);
      }),
      runs,
    );
    expect(nullableString.toBuffer(null)).toEqual(kjs((e) => e.writeString(null)));
    expect(nullableString.decode(hex('ff ff'))).toBeNull();
    expect(string.toBuffer('héllo')).toEqual(hex('00 06 68 c3 a9 6c 6c 6f'));
  });

  test('compact string and compact nullable string: unsigned varint length + 1, 0 for null', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (s) => {
        const ref = kjs((e) => e.writeUVarIntString(s));
        expect(compactString.toBuffer(s)).toEqual(ref);
        expect(compactNullableString.toBuffer(s)).toEqual(ref);
        expect(compactString.decode(ref)).toBe(s);
      }),
      runs,
    );
    expect(compactNullableString.toBuffer(null)).toEqual(hex('00'));
    expect(compactNullableString.decode(hex('00'))).toBeNull();
    expect(compactString.toBuffer('')).toEqual(hex('01'));
  });

  test('bytes in all four forms', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (a) => {
        const v = Buffer.from(a);
        expect(bytes.toBuffer(v)).toEqual(kjs((e) => e.writeBytes(v)));
        expect(compactBytes.toBuffer(v)).toEqual(kjs((e) => e.writeUVarIntBytes(v)));
        expect(bytes.decode(kjs((e) => e.writeBytes(v)))).toEqual(v);
        expect(compactBytes.decode(kjs((e) => e.writeUVarIntBytes(v)))).toEqual(v);
      }),
      runs,
    );
    expect(nullableBytes.toBuffer(null)).toEqual(kjs((e) => e.writeBytes(null)));
    expect(compactNullableBytes.toBuffer(null)).toEqual(kjs((e) => e.writeUVarIntBytes(null)));
    expect(nullableBytes.decode(hex('ff ff ff ff'))).toBeNull();
    expect(compactNullableBytes.decode(hex('00'))).toBeNull();
  });

  test('decoded bytes are a view into the frame, not a copy', () => {
    const frame = hex('00 00 00 03 61 62 63');
    const v = bytes.decode(frame);
    expect(v.buffer).toBe(frame.buffer);
    frame[4] = 0x7a;
    expect(v.toString()).toBe('zbc');
  });

  test('null where the type is not nullable is an error both ways', () => {
    decodeError(() => string.decode(hex('ff ff')));
    decodeError(() => compactString.decode(hex('00')));
    decodeError(() => bytes.decode(hex('ff ff ff ff')));
    expect(() => string.toBuffer(null as any)).toThrow(EncodeError);
    expect(() => compactBytes.toBuffer(null as any)).toThrow(EncodeError);
  });

  test('a length beyond the bytes left is a DecodeError', () => {
    decodeError(() => string.decode(hex('00 05 61 62')));
    decodeError(() => bytes.decode(hex('7f ff ff ff 00 00')));
    decodeError(() => compactBytes.decode(hex('ff ff ff ff 0f 00')));
    decodeError(() => compactString.decode(hex('05 61')));
  });

  test('strings are capped at 32767 UTF-8 bytes, as Kafka caps them', () => {
    expect(() => string.toBuffer('x'.repeat(32768))).toThrow(/longer than 32767/);
    expect(() => compactString.toBuffer('é'.repeat(16384))).toThrow(EncodeError);
    expect(string.toBuffer('x'.repeat(32767)).length).toBe(32769);
  });
});

describe('arrays', () => {
  const int32s = new ArrayLayout(int32, false, false);
  const compactStrings = new ArrayLayout(compactString, true, false);
  const nullableInt32s = new ArrayLayout<number, number[] | null>(int32, false, true);
  const compactNullableInt32s = new ArrayLayout<number, number[] | null>(int32, true, true);

  test('an int32 count then the elements, as KafkaJS writes them', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { maxLength: 40 }), (a) => {
        const ref = kjs((e) => e.writeArray(a, 'int32'));
        expect(int32s.toBuffer(a)).toEqual(ref);
        expect(int32s.decode(ref)).toEqual(a);
      }),
      runs,
    );
  });

  test('compact: an unsigned varint count + 1 then the elements', () => {
    expect(compactStrings.toBuffer(['a', 'bc'])).toEqual(hex('03 02 61 03 62 63'));
    expect(compactStrings.decode(hex('01'))).toEqual([]);
    expect(compactNullableInt32s.toBuffer(null)).toEqual(hex('00'));
    expect(compactNullableInt32s.decode(hex('00'))).toBeNull();
    expect(nullableInt32s.toBuffer(null)).toEqual(hex('ff ff ff ff'));
    expect(nullableInt32s.decode(hex('ff ff ff ff'))).toBeNull();
    decodeError(() => int32s.decode(hex('ff ff ff ff')));
  });

  test('a count larger than the bytes left is rejected before allocating (2 GB claimed in 100 bytes)', () => {
    const frame = Buffer.alloc(100);
    frame.writeInt32BE(0x7fffffff, 0);
    const e = decodeError(() => int32s.decode(frame));
    expect(e.message).toMatch(/claims 2147483647 elements, only 96 bytes remain/);
    decodeError(() => compactStrings.decode(hex('ff ff ff ff 0f')));
  });

  test('an element that cannot be encoded is named by its index', () => {
    expect(() => compactStrings.toBuffer(['a', 7 as any])).toThrow(/field \[1\]: expected a string, got 7/);
  });
});

describe('uuid', () => {
  test('16 bytes as a lowercase 8-4-4-4-12 hex string (RFC 9562 example)', () => {
    const b = hex('f8 1d 4f ae 7d ec 11 d0 a7 65 00 a0 c9 1e 6b f6');
    expect(uuid.decode(b)).toBe('f81d4fae-7dec-11d0-a765-00a0c91e6bf6');
    expect(uuid.toBuffer('F81D4FAE-7DEC-11D0-A765-00A0C91E6BF6')).toEqual(b);
  });

  test('the all-zero uuid is ZERO_UUID', () => {
    expect(uuid.decode(Buffer.alloc(16))).toBe(ZERO_UUID);
    expect(uuid.toBuffer(ZERO_UUID)).toEqual(Buffer.alloc(16));
  });

  test('random uuids round-trip and match their hex digits', () => {
    fc.assert(
      fc.property(fc.uuid(), (u) => {
        const b = uuid.toBuffer(u);
        expect(b).toEqual(Buffer.from(u.replace(/-/g, ''), 'hex'));
        expect(uuid.decode(b)).toBe(u.toLowerCase());
      }),
      runs,
    );
  });

  test('a malformed uuid is an EncodeError', () => {
    expect(() => uuid.toBuffer('not-a-uuid')).toThrow(EncodeError);
  });
});

describe('tagged fields', () => {
  // count, then per field: tag, size, bytes (KIP-482).
  const wire = hex('02  00 01 61  ac 02 02 62 63');

  test('decodes every field as a view, keeping its tag', () => {
    const fields = taggedFields.decode(wire);
    expect(fields.map((f) => [f.tag, f.data.toString()])).toEqual([
      [0, 'a'],
      [300, 'bc'],
    ]);
    expect(fields[0].data.buffer).toBe(wire.buffer);
  });

  test('encodes in ascending tag order whatever the input order', () => {
    expect(
      taggedFields.toBuffer([
        { tag: 300, data: Buffer.from('bc') },
        { tag: 0, data: Buffer.from('a') },
      ]),
    ).toEqual(wire);
    expect(taggedFields.toBuffer([])).toEqual(hex('00'));
  });

  test('a duplicate tag cannot be encoded', () => {
    expect(() =>
      taggedFields.toBuffer([
        { tag: 1, data: Buffer.alloc(0) },
        { tag: 1, data: Buffer.alloc(0) },
      ]),
    ).toThrow(/appears twice/);
  });

  test('a size or count beyond the bytes left is a DecodeError', () => {
    decodeError(() => taggedFields.decode(hex('01 00 05 61')));
    decodeError(() => taggedFields.decode(hex('ff ff ff ff 0f 00')));
  });
});

describe('buffer-layout compatibility', () => {
  test('variable-size layouts compose inside a buffer-layout struct via getSpan', () => {
    const layout = struct<{ id: number; name: string; tag: number }>([
      int32.replicate('id'),
      compactString.replicate('name'),
      varint.replicate('tag'),
    ]);
    const b = hex('00 00 00 07  04 61 62 63  03');
    expect(layout.decode(b)).toEqual({ id: 7, name: 'abc', tag: -2 });
    expect(layout.getSpan(b)).toBe(9);
    const out = Buffer.alloc(9);
    expect(layout.encode({ id: 7, name: 'abc', tag: -2 }, out)).toBe(9);
    expect(out).toEqual(b);
  });

  test('encode into a buffer too small is an EncodeError, not an overrun', () => {
    expect(() => compactString.encode('abcdef', Buffer.alloc(3))).toThrow(EncodeError);
  });
});

describe('round trips', () => {
  const cases: Array<[string, KafkaLayout<any>, fc.Arbitrary<any>]> = [
    ['int8', int8, fc.integer({ min: -128, max: 127 })],
    ['uint16', uint16, fc.integer({ min: 0, max: 65535 })],
    ['uint32', uint32, fc.integer({ min: 0, max: 2 ** 32 - 1 })],
    ['varlong', varlong, fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })],
    ['compact nullable string', compactNullableString, fc.option(fc.string({ unit: 'grapheme' }))],
    ['nullable bytes', nullableBytes, fc.option(fc.uint8Array().map((a) => Buffer.from(a)))],
    [
      'compact array of strings',
      new ArrayLayout(compactString, true, true),
      fc.option(fc.array(fc.string())),
    ],
  ];
  test.each(cases)('%s', (_name, layout, arb) => {
    fc.assert(
      fc.property(arb, (v) => {
        const b = layout.toBuffer(v);
        expect(b.length).toBe(layout.sizeOf(v));
        expect(layout.getSpan(Buffer.concat([b, hex('ee')]))).toBe(b.length);
        expect(layout.decode(b)).toEqual(v);
      }),
      runs,
    );
  });
});
