/* eslint-disable @typescript-eslint/no-require-imports */
import fc from 'fast-check';
import {
  decodeRequest,
  decodeRequestHeader,
  decodeResponse,
  encodeRequest,
  encodeResponse,
  readCorrelationId,
} from '../../src/protocol/codec';
import { DecodeError, EncodeError, UnsupportedRequestError } from '../../src/protocol/errors';
import {
  requestHeaderV0,
  requestHeaderV1,
  requestHeaderV2,
  requestHeaderVersion,
  responseHeaderV0,
  responseHeaderV1,
  responseHeaderVersion,
} from '../../src/protocol/headers';
import { apiSpecByKey, ApiVersions, Heartbeat } from '../../src/protocol/specs';
import type { ApiSpec } from '../../src/protocol/spec';
import { ascii, hex } from '../support/hex';
import { thrown } from '../support/thrown';

const kafkaJsFrame = require('kafkajs/src/protocol/request');
const Encoder = require('kafkajs/src/protocol/encoder');

describe('request header', () => {
  test('v1 matches the header KafkaJS writes (after its size prefix)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 0x7fff }),
        fc.integer({ min: 0, max: 0x7fff }),
        fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
        fc.option(fc.string({ unit: 'grapheme', maxLength: 40 })),
        async (apiKey, apiVersion, correlationId, clientId) => {
          const request = { apiKey, apiVersion, encode: async () => new Encoder() };
          const frame = Buffer.from((await kafkaJsFrame({ correlationId, clientId, request })).buffer);
          const header = { apiKey, apiVersion, correlationId, clientId };
          expect(requestHeaderV1.toBuffer(header)).toEqual(frame.subarray(4));
          expect(requestHeaderV1.decode(frame.subarray(4))).toEqual(header);
        },
      ),
      { seed: 99, numRuns: 200 },
    );
  });

  test('v2 adds tagged fields; the client id stays a non-compact nullable string', () => {
    const header = { apiKey: 12, apiVersion: 4, correlationId: 7, clientId: 'c' };
    const wire = hex(`000c 0004 00000007 0001 ${ascii('c')} 00`);
    expect(requestHeaderV2.toBuffer(header)).toEqual(wire);
    expect(requestHeaderV2.decode(wire)).toEqual(header);
    expect(requestHeaderV2.toBuffer({ ...header, clientId: null })).toEqual(
      hex('000c 0004 00000007 ffff 00'),
    );
    const tagged = hex(`000c 0004 00000007 0001 ${ascii('c')} 01 00 01 aa`);
    expect(requestHeaderV2.decode(tagged)._unknownTaggedFields).toEqual([{ tag: 0, data: hex('aa') }]);
  });

  test('v0 has no client id', () => {
    expect(
      requestHeaderV0.toBuffer({ apiKey: 7, apiVersion: 0, correlationId: 1, clientId: 'ignored' }),
    ).toEqual(hex('0007 0000 00000001'));
  });

  test('v2 for flexible API versions, else v1', () => {
    expect(requestHeaderVersion(Heartbeat, 3)).toBe(1);
    expect(requestHeaderVersion(Heartbeat, 4)).toBe(2);
    expect(requestHeaderVersion(ApiVersions, 3)).toBe(2);
  });
});

describe('response header', () => {
  test('v0 is the correlation id; v1 adds tagged fields', () => {
    expect(responseHeaderV0.toBuffer({ correlationId: 7 })).toEqual(hex('00000007'));
    expect(responseHeaderV1.toBuffer({ correlationId: 7 })).toEqual(hex('00000007 00'));
    expect(responseHeaderV1.decode(hex('00000007 00'))).toEqual({ correlationId: 7 });
  });

  test('v1 for flexible versions, except ApiVersions which always uses v0', () => {
    expect(responseHeaderVersion(Heartbeat, 3)).toBe(0);
    expect(responseHeaderVersion(Heartbeat, 4)).toBe(1);
    expect(responseHeaderVersion(ApiVersions, 3)).toBe(0);
    expect(responseHeaderVersion(ApiVersions, 4)).toBe(0);
  });
});

describe('frames', () => {
  test('a flexible request: size, header v2, compact body', () => {
    const frame = encodeRequest(
      ApiVersions,
      3,
      { correlationId: 1, clientId: 'kafka-rx' },
      { clientSoftwareName: 'kafka-rx', clientSoftwareVersion: '0.1.0' },
    );
    const after = hex(
      `0012 0003 00000001 0008 ${ascii('kafka-rx')} 00  09 ${ascii('kafka-rx')} 06 ${ascii('0.1.0')} 00`,
    );
    expect(frame).toEqual(Buffer.concat([hex(after.length.toString(16).padStart(8, '0')), after]));
  });

  test('the ApiVersions v3 response has no header tagged fields', () => {
    const body = { errorCode: 0, apiKeys: [{ apiKey: 18, minVersion: 0, maxVersion: 4 }], throttleTimeMs: 0 };
    const frame = encodeResponse(ApiVersions, 3, 5, body);
    // size, correlation id, then straight into the body: errorCode 0000, compact array 02 ...
    expect(frame.subarray(4)).toEqual(hex('00000005  0000 02 0012 0000 0004 00 00000000 00'));
    expect(decodeResponse(ApiVersions, 3, frame.subarray(4)).body).toMatchObject(body);
  });

  test('a flexible response has header tagged fields', () => {
    const frame = encodeResponse(Heartbeat, 4, 9, { throttleTimeMs: 0, errorCode: 27 });
    expect(frame).toEqual(hex('0000000c 00000009 00 00000000 001b 00'));
    expect(readCorrelationId(frame.subarray(4))).toBe(9);
    expect(decodeResponse(Heartbeat, 4, frame.subarray(4))).toEqual({
      correlationId: 9,
      body: { throttleTimeMs: 0, errorCode: 27 },
    });
  });

  test('the broker side decodes what the client side encodes', () => {
    for (const version of [0, 3, 4]) {
      const body = { groupId: 'g', generationId: 2, memberId: 'm', groupInstanceId: null };
      const frame = encodeRequest(Heartbeat, version, { correlationId: 42, clientId: null }, body);
      const { header, api, body: decoded } = decodeRequest(frame.subarray(4), apiSpecByKey);
      expect(header).toEqual({ apiKey: 12, apiVersion: version, correlationId: 42, clientId: null });
      expect(api).toBe(Heartbeat);
      expect(decoded).toMatchObject(version === 0 ? { groupId: 'g', generationId: 2, memberId: 'm' } : body);
      expect(decodeRequestHeader(frame.subarray(4))).toEqual(header);
    }
  });

  test('an unknown api key or version is an UnsupportedRequestError carrying the header', () => {
    const unknown = thrown(() => decodeRequest(hex(`03e7 0000 00000003 0001 ${ascii('c')}`), apiSpecByKey));
    expect(unknown).toBeInstanceOf(UnsupportedRequestError);
    expect((unknown as UnsupportedRequestError).header).toEqual({
      apiKey: 999,
      apiVersion: 0,
      correlationId: 3,
      clientId: 'c',
    });
    expect((unknown as UnsupportedRequestError).code).toBe(35);
    const tooNew = thrown(() => decodeRequest(hex(`0012 0063 00000004 ffff`), apiSpecByKey));
    expect(tooNew).toBeInstanceOf(UnsupportedRequestError);
    expect((tooNew as UnsupportedRequestError).header.correlationId).toBe(4);
    expect(tooNew.message).toMatch(/ApiVersions v99 is not supported/);
  });

  test('a request with bytes after the message is read as a broker reads it', () => {
    // Heartbeat v0 (key 12): group "g", generation 1, member "m", then one stray byte.
    const frame = hex(`000c 0000 00000007 ffff 0001 67 00000001 0001 6d ff`);
    const { body } = decodeRequest(frame, apiSpecByKey);
    expect(body).toEqual({ groupId: 'g', generationId: 1, memberId: 'm' });
  });

  test('bad frames are DecodeErrors', () => {
    expect(() => decodeRequestHeader(hex('000c 00'))).toThrow(DecodeError);
    expect(() => readCorrelationId(hex('0000'))).toThrow(DecodeError);
    // A complete response followed by a stray byte is read; the stray byte is ignored.
    expect(decodeResponse(Heartbeat, 4, hex('00000009 00 00000000 001b 00 00')).body.errorCode).toBe(27);
    expect(() => decodeResponse(Heartbeat, 4, hex('00000009 00 0000'))).toThrow(DecodeError);
  });

  test('a bad header value is an EncodeError naming it', () => {
    expect(() =>
      encodeRequest<ApiSpec>(Heartbeat, 0, { correlationId: 2 ** 31, clientId: null }, {}),
    ).toThrow(/HeartbeatRequest v0 header: field correlationId: expected an int32/);
    expect(() =>
      encodeRequest<ApiSpec>(Heartbeat, 0, { correlationId: 1, clientId: null }, { groupId: 'g' }),
    ).toThrow(EncodeError);
  });
});
