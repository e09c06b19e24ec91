import fc from 'fast-check';
import { KafkaRxError } from '../../src/errors';
import {
  decodeRequest,
  decodeRequestHeader,
  decodeResponse,
  decodeVersioned,
  encodeRequest,
  encodeResponse,
  encodeVersioned,
  readCorrelationId,
} from '../../src/protocol/codec';
import { compileMessage, parseVersionRange } from '../../src/protocol/compiler';
import { DecodeError } from '../../src/protocol/errors';
import {
  requestHeaderLayout,
  requestHeaderV2,
  requestHeaderVersion,
  responseHeaderV1,
} from '../../src/protocol/headers';
import type { ApiSpec, MessageSpec } from '../../src/protocol/spec';
import {
  apiSpecByKey,
  apiSpecs,
  ConsumerProtocolAssignment,
  ConsumerProtocolSubscription,
} from '../../src/protocol/specs';
import { bodyFor, specVersionBody } from './compiler.arbitraries';

/*
 * Random and mutated frames fed to every decoder: each call must return a value or throw a
 * KafkaRxError (a DecodeError, or UnsupportedRequestError for a header naming an API or version
 * we do not speak), never a RangeError or TypeError, never a hang. A DecodeError with a `cause`
 * means a reader ran past its bounds and only the safety net caught it: that fails too.
 */

const RUNS = 2000;
const SEED = 8080;
const EXPECTED = new Set(['DecodeError', 'UnsupportedRequestError']);

function expectSafe(decode: () => unknown): void {
  try {
    decode();
  } catch (e) {
    if (!(e instanceof KafkaRxError) || !EXPECTED.has(e.name)) {
      throw new Error(`escaped a ${(e as Error)?.name}: ${(e as Error)?.message}`, { cause: e });
    }
    if (e instanceof DecodeError && e.cause !== undefined) {
      throw new Error(`only the safety net caught: ${String(e.cause)}`, { cause: e });
    }
  }
}

/** One of several mutations of a valid frame: bytes changed, cut, inserted, or huge lengths planted. */
const mutation = fc.record({
  kind: fc.constantFrom('flip', 'truncate', 'insert', 'int32-max', 'int32-neg', 'uvarint-max', 'append'),
  at: fc.nat(),
  bytes: fc.uint8Array({ minLength: 1, maxLength: 6 }),
  times: fc.integer({ min: 1, max: 3 }),
});

type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function mutate(frame: Buffer, m: Mutation): Buffer {
  const at = frame.length === 0 ? 0 : m.at % frame.length;
  const copy = Buffer.from(frame);
  switch (m.kind) {
    case 'flip':
      for (let i = 0; i < m.times && copy.length > 0; i++)
        copy[(at + i * 7) % copy.length] = m.bytes[i % m.bytes.length];
      return copy;
    case 'truncate':
      return copy.subarray(0, at);
    case 'insert':
      return Buffer.concat([copy.subarray(0, at), Buffer.from(m.bytes), copy.subarray(at)]);
    case 'int32-max':
    case 'int32-neg': {
      const planted = Buffer.from(m.kind === 'int32-max' ? [0x7f, 0xff, 0xff, 0xff] : [0x80, 0, 0, 1]);
      return Buffer.concat([copy.subarray(0, at), planted, copy.subarray(at + 4)]);
    }
    case 'uvarint-max':
      return Buffer.concat([
        copy.subarray(0, at),
        Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f]),
        copy.subarray(at + 5),
      ]);
    default:
      return Buffer.concat([copy, Buffer.from(m.bytes)]);
  }
}

const randomBytes = fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a));

function versionsOf(api: ApiSpec): number[] {
  const out: number[] = [];
  for (let v = api.minVersion; v <= api.maxVersion; v++) out.push(v);
  return out;
}

/** Valid frames (without size prefix) of one side of an API, at random versions. */
function validFrames(
  api: ApiSpec,
  side: 'request' | 'response',
): fc.Arbitrary<{ version: number; frame: Buffer }> {
  return fc.constantFrom(...versionsOf(api)).chain((version) =>
    bodyFor(api[side].fields, version).map((body) => ({
      version,
      frame: (side === 'request'
        ? encodeRequest(api, version, { correlationId: 1, clientId: 'fuzz' }, body)
        : encodeResponse(api, version, 1, body)
      ).subarray(4),
    })),
  );
}

function fuzz(
  valid: fc.Arbitrary<{ version: number; frame: Buffer }>,
  versions: number[],
  decode: (frame: Buffer, version: number) => unknown,
): void {
  const mutated = fc
    .tuple(valid, mutation)
    .map(([v, m]) => ({ version: v.version, frame: mutate(v.frame, m) }));
  const random = fc
    .tuple(fc.constantFrom(...versions), randomBytes)
    .map(([version, frame]) => ({ version, frame }));
  fc.assert(
    fc.property(fc.oneof(mutated, random, valid), ({ version, frame }) =>
      expectSafe(() => decode(frame, version)),
    ),
    { seed: SEED, numRuns: RUNS },
  );
}

/** 100 bytes with a length field claiming 2 GB (int32 or unsigned varint) at `at`. */
function hugeLength(at: number, form: 'int32' | 'uvarint'): Buffer {
  const b = Buffer.alloc(100);
  if (form === 'int32') b.writeInt32BE(0x7fffffff, at);
  else Buffer.from([0xff, 0xff, 0xff, 0xff, 0x07]).copy(b, at);
  return b;
}

describe('headers', () => {
  const header = fc
    .record({
      apiKey: fc.integer({ min: 0, max: 0x7fff }),
      apiVersion: fc.integer({ min: 0, max: 20 }),
      correlationId: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      clientId: fc.option(fc.string({ maxLength: 20 })),
    })
    .map((h) => ({ version: 2, frame: requestHeaderV2.toBuffer(h) }));

  test('request header decoders', () => {
    fuzz(header, [2], (frame) => decodeRequestHeader(frame));
    fuzz(header, [2], (frame) => requestHeaderV2.decode(frame));
  });

  test('response header decoders', () => {
    const response = fc
      .integer()
      .map((correlationId) => ({ version: 1, frame: responseHeaderV1.toBuffer({ correlationId }) }));
    fuzz(response, [1], (frame) => responseHeaderV1.decode(frame));
    fuzz(response, [1], (frame) => readCorrelationId(frame));
  });

  test('a header claiming a 2 GB client id in 100 bytes', () => {
    for (let at = 0; at <= 96; at++) expectSafe(() => decodeRequestHeader(hugeLength(at, 'int32')));
    expect(() =>
      decodeRequestHeader(Buffer.from([0, 12, 0, 0, 0, 0, 0, 1, 0x7f, 0xff, ...Buffer.alloc(90)])),
    ).toThrow(DecodeError);
  });
});

describe.each(apiSpecs.map((api) => [api.name, api] as const))('%s', (_name, api) => {
  test('request decoder (broker side)', () => {
    fuzz(validFrames(api, 'request'), versionsOf(api), (frame) => decodeRequest(frame, apiSpecByKey));
  });

  test('response decoder', () => {
    fuzz(validFrames(api, 'response'), versionsOf(api), (frame, version) =>
      decodeResponse(api, version, frame),
    );
  });

  test('every version, a length claiming 2 GB anywhere in a 100-byte frame', () => {
    for (const version of versionsOf(api)) {
      const header = requestHeaderLayout(requestHeaderVersion(api, version)).toBuffer({
        apiKey: api.apiKey,
        apiVersion: version,
        correlationId: 1,
        clientId: null,
      });
      for (let at = 0; at <= 95; at++) {
        for (const form of ['int32', 'uvarint'] as const) {
          const body = hugeLength(at, form);
          expectSafe(() => decodeResponse(api, version, body));
          expectSafe(() => compileMessage(api.request, version).decode(body));
          expectSafe(() => decodeRequest(Buffer.concat([header, body]), apiSpecByKey));
        }
      }
    }
  });
});

describe('embedded structures and random specs', () => {
  test.each([
    ['ConsumerProtocolSubscription', ConsumerProtocolSubscription],
    ['ConsumerProtocolAssignment', ConsumerProtocolAssignment],
  ] as Array<[string, MessageSpec]>)('%s (int16 version first)', (_name, spec) => {
    const range = parseVersionRange(spec.validVersions)!;
    const versions = Array.from({ length: range.max - range.min + 1 }, (_, i) => range.min + i);
    const valid = fc.constantFrom(...versions).chain((version) =>
      bodyFor(spec.fields, version).map((body) => ({
        version,
        frame: encodeVersioned(spec, version, body),
      })),
    );
    fuzz(valid, versions, (frame) => decodeVersioned(spec, frame));
  });

  test('compiled decoders of random specs', () => {
    const valid = specVersionBody.map(({ spec, version, body }) => ({
      version,
      frame: Buffer.concat([Buffer.from([version]), compileMessage(spec, version).encode(body)]),
      spec,
    }));
    fc.assert(
      fc.property(valid, mutation, ({ spec, version, frame }, m) => {
        expectSafe(() => compileMessage(spec, version).decode(mutate(frame.subarray(1), m)));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
