import { KafkaRxError } from '../../src/errors';
import { compileMessage, inVersions, isFlexible, parseVersionRange } from '../../src/protocol/compiler';
import { decodeMessage, encodeMessage } from '../../src/protocol/codec';
import { DecodeError, EncodeError, SpecError } from '../../src/protocol/errors';
import type { MessageSpec } from '../../src/protocol/spec';
import { ascii, hex } from '../support/hex';
import { thrown } from '../support/thrown';

// Small specs transliterated from Kafka's message JSON (camelCase names, same versions), so
// that the compiler is tested on its own, apart from src/protocol/specs/.
const HeartbeatRequest: MessageSpec = {
  name: 'HeartbeatRequest',
  type: 'request',
  apiKey: 12,
  validVersions: '0-4',
  flexibleVersions: '4+',
  fields: [
    { name: 'groupId', type: 'string', versions: '0+' },
    { name: 'generationId', type: 'int32', versions: '0+' },
    { name: 'memberId', type: 'string', versions: '0+' },
    { name: 'groupInstanceId', type: 'string', versions: '3+', nullableVersions: '3+', default: 'null' },
  ],
};

const JoinGroupRequest: MessageSpec = {
  name: 'JoinGroupRequest',
  type: 'request',
  apiKey: 11,
  validVersions: '0-9',
  flexibleVersions: '6+',
  fields: [
    { name: 'groupId', type: 'string', versions: '0+' },
    { name: 'sessionTimeoutMs', type: 'int32', versions: '0+' },
    { name: 'rebalanceTimeoutMs', type: 'int32', versions: '1+', default: '-1' },
    { name: 'memberId', type: 'string', versions: '0+' },
    { name: 'groupInstanceId', type: 'string', versions: '5+', nullableVersions: '5+', default: 'null' },
    { name: 'protocolType', type: 'string', versions: '0+' },
    {
      name: 'protocols',
      type: '[]JoinGroupRequestProtocol',
      versions: '0+',
      fields: [
        { name: 'name', type: 'string', versions: '0+' },
        { name: 'metadata', type: 'bytes', versions: '0+' },
      ],
    },
    { name: 'reason', type: 'string', versions: '8+', nullableVersions: '8+', default: 'null' },
  ],
};

// The tagged fields of ApiVersionsResponse v3+ (KIP-584 features, KIP-866 migration flag).
const ApiVersionsResponse: MessageSpec = {
  name: 'ApiVersionsResponse',
  type: 'response',
  apiKey: 18,
  validVersions: '0-4',
  flexibleVersions: '3+',
  fields: [
    { name: 'errorCode', type: 'int16', versions: '0+' },
    {
      name: 'apiKeys',
      type: '[]ApiVersion',
      versions: '0+',
      fields: [
        { name: 'apiKey', type: 'int16', versions: '0+' },
        { name: 'minVersion', type: 'int16', versions: '0+' },
        { name: 'maxVersion', type: 'int16', versions: '0+' },
      ],
    },
    { name: 'throttleTimeMs', type: 'int32', versions: '1+' },
    {
      name: 'supportedFeatures',
      type: '[]SupportedFeatureKey',
      versions: '3+',
      tag: 0,
      taggedVersions: '3+',
      fields: [
        { name: 'name', type: 'string', versions: '3+' },
        { name: 'minVersion', type: 'int16', versions: '3+' },
        { name: 'maxVersion', type: 'int16', versions: '3+' },
      ],
    },
    {
      name: 'finalizedFeaturesEpoch',
      type: 'int64',
      versions: '3+',
      tag: 1,
      taggedVersions: '3+',
      default: '-1',
    },
    {
      name: 'finalizedFeatures',
      type: '[]FinalizedFeatureKey',
      versions: '3+',
      tag: 2,
      taggedVersions: '3+',
      fields: [
        { name: 'name', type: 'string', versions: '3+' },
        { name: 'maxVersionLevel', type: 'int16', versions: '3+' },
        { name: 'minVersionLevel', type: 'int16', versions: '3+' },
      ],
    },
    {
      name: 'zkMigrationReady',
      type: 'bool',
      versions: '3+',
      tag: 3,
      taggedVersions: '3+',
      default: 'false',
    },
  ],
};

describe('version ranges', () => {
  test("Kafka's notation", () => {
    expect(parseVersionRange('3+')).toEqual({ min: 3, max: 32767 });
    expect(parseVersionRange('0-4')).toEqual({ min: 0, max: 4 });
    expect(parseVersionRange('5')).toEqual({ min: 5, max: 5 });
    expect(parseVersionRange('none')).toBeNull();
    expect(inVersions('2-4', 1)).toBe(false);
    expect(inVersions('2-4', 4)).toBe(true);
    expect(inVersions('none', 0)).toBe(false);
    expect(inVersions(undefined, 0)).toBe(false);
    expect(isFlexible(HeartbeatRequest, 3)).toBe(false);
    expect(isFlexible(HeartbeatRequest, 4)).toBe(true);
  });

  test('anything else is a SpecError', () => {
    for (const bad of ['', '3-', '4-2', 'v3', '1,2', '-1'])
      expect(() => parseVersionRange(bad)).toThrow(SpecError);
  });
});

describe('HeartbeatRequest, bytes assembled by hand from protocol.html', () => {
  const body = { groupId: 'grp', generationId: 5, memberId: 'm-1', groupInstanceId: 'i' };

  test('v0: string, int32, string', () => {
    const wire = hex(`0003 ${ascii('grp')} 00000005 0003 ${ascii('m-1')}`);
    expect(encodeMessage(HeartbeatRequest, 0, body)).toEqual(wire);
    expect(decodeMessage(HeartbeatRequest, 0, wire)).toEqual({
      groupId: 'grp',
      generationId: 5,
      memberId: 'm-1',
    });
  });

  test('v3 adds a nullable string', () => {
    const wire = hex(`0003 ${ascii('grp')} 00000005 0003 ${ascii('m-1')} 0001 ${ascii('i')}`);
    expect(encodeMessage(HeartbeatRequest, 3, body)).toEqual(wire);
    expect(decodeMessage(HeartbeatRequest, 3, wire)).toEqual(body);
  });

  test('v4 is flexible: compact strings and an empty tagged-field section', () => {
    const wire = hex(`04 ${ascii('grp')} 00000005 04 ${ascii('m-1')} 00 00`);
    expect(encodeMessage(HeartbeatRequest, 4, { ...body, groupInstanceId: null })).toEqual(wire);
    expect(decodeMessage(HeartbeatRequest, 4, wire)).toEqual({ ...body, groupInstanceId: null });
  });

  test('an omitted field takes its default ("null")', () => {
    const { groupInstanceId: _, ...withoutInstance } = body;
    expect(encodeMessage(HeartbeatRequest, 4, withoutInstance)).toEqual(
      hex(`04 ${ascii('grp')} 00000005 04 ${ascii('m-1')} 00 00`),
    );
  });

  test('compiled once per (spec, version)', () => {
    expect(compileMessage(HeartbeatRequest, 3)).toBe(compileMessage(HeartbeatRequest, 3));
    expect(compileMessage(HeartbeatRequest, 3)).not.toBe(compileMessage(HeartbeatRequest, 4));
  });

  test('a version outside validVersions is a SpecError', () => {
    expect(() => compileMessage(HeartbeatRequest, 5)).toThrow(/HeartbeatRequest v5: not among its versions/);
  });
});

describe('missing and invalid fields', () => {
  const protocols = [{ name: 'range', metadata: Buffer.from([1]) }];
  const join = { groupId: 'g', sessionTimeoutMs: 10000, memberId: '', protocolType: 'consumer', protocols };

  test('a missing field without default is named with its path', () => {
    const e = thrown(() =>
      encodeMessage(JoinGroupRequest, 5, { ...join, protocols: [{ metadata: Buffer.alloc(0) }] }),
    );
    expect(e).toBeInstanceOf(EncodeError);
    expect(e).toBeInstanceOf(KafkaRxError);
    expect(e.message).toBe('JoinGroupRequest v5: missing field protocols[0].name');
    expect((e as EncodeError).path).toBe('protocols[0].name');
    expect(() => encodeMessage(JoinGroupRequest, 5, { ...join, memberId: undefined })).toThrow(
      'JoinGroupRequest v5: missing field memberId',
    );
  });

  test('a value of the wrong type is named with its path', () => {
    const e = thrown(() =>
      encodeMessage(JoinGroupRequest, 7, { ...join, protocols: [{ name: 'x', metadata: 'no' }] }),
    );
    expect(e.message).toBe('JoinGroupRequest v7: field protocols[0].metadata: expected a Buffer, got "no"');
    expect(() => encodeMessage(JoinGroupRequest, 1, { ...join, sessionTimeoutMs: 2 ** 40 })).toThrow(
      'JoinGroupRequest v1: field sessionTimeoutMs: expected an int32, got 1099511627776',
    );
    expect(() => encodeMessage(JoinGroupRequest, 1, null as any)).toThrow(/expected an object/);
  });

  test('defaults: rebalanceTimeoutMs "-1" from v1, and fields outside their versions are not written', () => {
    const v0 = encodeMessage(JoinGroupRequest, 0, { ...join, rebalanceTimeoutMs: 5 });
    const v1 = encodeMessage(JoinGroupRequest, 1, join);
    expect(v1.length).toBe(v0.length + 4);
    expect(decodeMessage(JoinGroupRequest, 1, v1).rebalanceTimeoutMs).toBe(-1);
    expect(decodeMessage(JoinGroupRequest, 0, v0)).not.toHaveProperty('rebalanceTimeoutMs');
  });
});

describe('tagged fields (ApiVersionsResponse v3)', () => {
  // errorCode, compact array of one ApiVersion (with its own empty tagged section), throttleTimeMs
  const head = '0000  02 0012 0000 0003 00  00000000';

  test('fields equal to their default are not written', () => {
    const body = { errorCode: 0, apiKeys: [{ apiKey: 18, minVersion: 0, maxVersion: 3 }], throttleTimeMs: 0 };
    expect(encodeMessage(ApiVersionsResponse, 3, body)).toEqual(hex(`${head} 00`));
    expect(
      encodeMessage(ApiVersionsResponse, 3, {
        ...body,
        supportedFeatures: [],
        finalizedFeaturesEpoch: -1n,
        zkMigrationReady: false,
      }),
    ).toEqual(hex(`${head} 00`));
  });

  test('absent tagged fields decode to their defaults', () => {
    expect(decodeMessage(ApiVersionsResponse, 3, hex(`${head} 00`))).toEqual({
      errorCode: 0,
      apiKeys: [{ apiKey: 18, minVersion: 0, maxVersion: 3 }],
      throttleTimeMs: 0,
      supportedFeatures: [],
      finalizedFeaturesEpoch: -1n,
      finalizedFeatures: [],
      zkMigrationReady: false,
    });
  });

  test('present fields: uvarint tag, uvarint size, value; in ascending tag order', () => {
    // tag 0: compact array of one feature: 02, "kraft.version" (0e + 13 bytes), 0000, 0001, 00 = 20 bytes
    const supported = `00 14 02 0e ${ascii('kraft.version')} 0000 0001 00`;
    const epoch = '01 08 0000000000000007';
    const migration = '03 01 01';
    const wire = hex(`${head} 03 ${supported} ${epoch} ${migration}`);
    const body = {
      errorCode: 0,
      apiKeys: [{ apiKey: 18, minVersion: 0, maxVersion: 3 }],
      throttleTimeMs: 0,
      zkMigrationReady: true,
      finalizedFeaturesEpoch: 7n,
      supportedFeatures: [{ name: 'kraft.version', minVersion: 0, maxVersion: 1 }],
    };
    expect(encodeMessage(ApiVersionsResponse, 3, body)).toEqual(wire);
    expect(decodeMessage(ApiVersionsResponse, 3, wire)).toEqual({ ...body, finalizedFeatures: [] });
  });

  test('unknown tags are kept, in any struct, and written back in tag order', () => {
    // ApiVersion element carries unknown tag 5 ("xy"); the top level carries unknown tag 9 after known tag 3.
    const wire = hex(`0000  02 0012 0000 0003 01 05 02 7879  00000000  02 03 01 01 09 01 ff`);
    const decoded = decodeMessage(ApiVersionsResponse, 3, wire);
    expect(decoded.apiKeys[0]._unknownTaggedFields).toEqual([{ tag: 5, data: Buffer.from('xy') }]);
    expect(decoded._unknownTaggedFields).toEqual([{ tag: 9, data: hex('ff') }]);
    expect(encodeMessage(ApiVersionsResponse, 3, decoded)).toEqual(wire);
    // An unknown tag below a known one is written first.
    const mixed = { ...decoded, _unknownTaggedFields: [{ tag: 2, data: hex('00') }] };
    expect(encodeMessage(ApiVersionsResponse, 3, mixed)).toEqual(
      hex(`0000  02 0012 0000 0003 01 05 02 7879  00000000  02 02 01 00 03 01 01`),
    );
  });

  test('a known tagged field whose size disagrees with its value is a DecodeError', () => {
    expect(() => decodeMessage(ApiVersionsResponse, 3, hex(`${head} 01 03 02 01 00`))).toThrow(
      /tagged field 3 \(zkMigrationReady\) leaves 1 of its bytes unread/,
    );
    expect(() => decodeMessage(ApiVersionsResponse, 3, hex(`${head} 01 01 04 00000000`))).toThrow(
      DecodeError,
    );
  });

  test('v0 is not flexible: no tagged section, int32 array count', () => {
    const wire = hex('0000 00000001 0012 0000 0003');
    expect(decodeMessage(ApiVersionsResponse, 0, wire)).toEqual({
      errorCode: 0,
      apiKeys: [{ apiKey: 18, minVersion: 0, maxVersion: 3 }],
    });
    expect(
      encodeMessage(ApiVersionsResponse, 0, {
        errorCode: 0,
        apiKeys: [{ apiKey: 18, minVersion: 0, maxVersion: 3 }],
      }),
    ).toEqual(wire);
  });
});

describe("defaults in all of Kafka's forms, nullable structs, version-gated fields", () => {
  const Example: MessageSpec = {
    name: 'ExampleData',
    type: 'data',
    validVersions: '0-2',
    flexibleVersions: '2+',
    fields: [
      { name: 'a', type: 'int32', versions: '0+', default: '-1' },
      { name: 'b', type: 'int32', versions: '0+', default: '0x7fffffff' },
      { name: 'c', type: 'int64', versions: '0+', default: '-1' },
      { name: 'd', type: 'bool', versions: '0+', default: 'true' },
      { name: 'e', type: 'string', versions: '0+', default: '' },
      { name: 'f', type: 'int16', versions: '0+', default: -2 },
      { name: 'g', type: 'bytes', versions: '0+', nullableVersions: '0+' },
      { name: 'h', type: 'int64', versions: '1', default: '-1' },
      {
        name: 'assignment',
        type: 'Assignment',
        versions: '0+',
        nullableVersions: '0+',
        default: 'null',
        fields: [{ name: 'partitions', type: '[]int32', versions: '0+' }],
      },
      { name: 'note', type: 'string', versions: '2+', nullableVersions: '2+', taggedVersions: '2+', tag: 0 },
    ],
  };

  test('an empty body takes every default', () => {
    expect(encodeMessage(Example, 0, {})).toEqual(
      hex('ffffffff 7fffffff ffffffffffffffff 01 0000 fffe ffffffff ff'),
    );
    expect(encodeMessage(Example, 1, {})).toEqual(
      hex('ffffffff 7fffffff ffffffffffffffff 01 0000 fffe ffffffff ffffffffffffffff ff'),
    );
  });

  test('a present nullable struct is marked 1, a null one -1', () => {
    const wire = encodeMessage(Example, 0, { assignment: { partitions: [3] } });
    expect(wire.subarray(-9)).toEqual(hex('01 00000001 00000003'));
    expect(decodeMessage(Example, 0, wire).assignment).toEqual({ partitions: [3] });
    expect(decodeMessage(Example, 0, encodeMessage(Example, 0, {})).assignment).toBeNull();
  });

  test('flexible: a nullable tagged string is written only when not null', () => {
    const none = encodeMessage(Example, 2, {});
    expect(none.subarray(-2)).toEqual(hex('ff 00'));
    expect(encodeMessage(Example, 2, { note: 'x' }).subarray(-6)).toEqual(hex('ff 01 00 02 02 78'));
    expect(decodeMessage(Example, 2, none).note).toBeNull();
  });
});

describe('decoding bad bytes', () => {
  test('trailing bytes are a DecodeError: brokers never send them', () => {
    const wire = hex(`0003 ${ascii('grp')} 00000005 0003 ${ascii('m-1')} 00`);
    expect(() => decodeMessage(HeartbeatRequest, 0, wire)).toThrow(
      'HeartbeatRequest v0: 1 byte left over after the message, at offset 14',
    );
  });

  test('a truncated message is a DecodeError naming the message', () => {
    const e = thrown(() => decodeMessage(HeartbeatRequest, 0, hex(`0003 ${ascii('grp')} 0000`)));
    expect(e).toBeInstanceOf(DecodeError);
    expect(e.message).toMatch(/^HeartbeatRequest v0: int32: needs 4 bytes at offset 5/);
  });
});

describe('malformed specs', () => {
  const base = { name: 'Bad', type: 'data', validVersions: '0-1', flexibleVersions: '1+' } as const;

  test('a tagged field in a version that is not flexible', () => {
    const spec: MessageSpec = {
      ...base,
      fields: [{ name: 'x', type: 'int32', versions: '0+', taggedVersions: '0+', tag: 0 }],
    };
    expect(() => compileMessage(spec, 0)).toThrow(SpecError);
    expect(() => compileMessage(spec, 1)).not.toThrow();
  });

  test('a struct type without fields, or a default that does not fit', () => {
    expect(() =>
      compileMessage({ ...base, fields: [{ name: 'x', type: 'Thing', versions: '0+' }] }, 0),
    ).toThrow(/Bad v0.x: type Thing is neither a primitive nor given fields/);
    expect(() =>
      compileMessage({ ...base, fields: [{ name: 'x', type: 'int32', versions: '0+', default: 'abc' }] }, 0),
    ).toThrow(SpecError);
  });
});
