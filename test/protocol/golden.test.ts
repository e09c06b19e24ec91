import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  decodeRequest,
  decodeResponse,
  decodeVersioned,
  encodeRequest,
  encodeResponse,
  isFlexible,
} from '../../src/protocol/codec';
import { DecodeError } from '../../src/protocol/errors';
import type { ApiSpec, Message } from '../../src/protocol/spec';
import {
  apiSpecByKey,
  apiSpecs,
  ApiVersions,
  ConsumerProtocolAssignment,
  ConsumerProtocolSubscription,
} from '../../src/protocol/specs';
import * as L from '../../src/protocol/records/record-batch-layout';

/*
 * Golden frames captured between outside clients (kcat on librdkafka; @platformatic/kafka) and
 * outside brokers (librdkafka's mock; Apache Kafka 4.4) (test/fixtures/protocol/README.md): every
 * frame must decode and encode back to the same bytes, and a few decoded values are checked
 * against what the capture run did.
 */

const fixtureRoot = join(__dirname, '../fixtures/protocol');

/** APIs seen in the captures that kafka-rx does not speak, and why. */
const notSpecced: Record<string, string> = {
  GetTelemetrySubscriptions:
    'KIP-714 client metrics: librdkafka asks for a subscription, kafka-rx pushes no telemetry',
};

/** The APIs that need golden frames in both a non-flexible and a flexible version. */
const required = [
  'ApiVersions',
  'Metadata',
  'FindCoordinator',
  'JoinGroup',
  'SyncGroup',
  'Heartbeat',
  'OffsetCommit',
  'OffsetFetch',
  'ListOffsets',
  'Fetch',
  'Produce',
];

/**
 * Request/response pairs no outside client and broker here exchange. None since the `kafka`
 * captures: librdkafka's client stops before the flexible FindCoordinator, JoinGroup and SyncGroup
 * and its mock broker cannot answer them, but @platformatic/kafka and Apache Kafka exchange them.
 */
const knownGaps: string[] = [];

/** ApiVersions' UNSUPPORTED_VERSION: the broker then answers in the v0 format, whatever was asked. */
const UNSUPPORTED_VERSION = 35;

/**
 * Frames in which librdkafka's mock broker departs from Kafka's format (by `<Api>-v<N>-<side>`).
 * `malformed`: no version decodes them; the error code is still readable at a fixed place.
 */
const malformed: Record<string, string> = {
  'ApiVersions-v3-response':
    'the mock answers an unsupported ApiVersions v3 with a hand-made frame: a one-byte array count ' +
    '(v0 has an int32) and no tagged fields (v3 has them); Kafka answers in the v0 format',
};

/** `strayTrailingByte`: one extra zero byte after the message; the rest must round-trip. */
const strayTrailingByte: Record<string, string> = {
  'Metadata-v12-response':
    "the mock's Metadata handler writes the message's empty tagged fields, and its send routine " +
    'appends a second empty tagged-field count',
};

interface Capture {
  /** The client that sent the requests, when it was not kcat (librdkafka, client id `rdkafka`). */
  readonly client?: string;
  /** The broker, when it was not librdkafka's mock (`Apache Kafka 4.4.0`). */
  readonly broker?: string;
  readonly clientId?: string;
  readonly brokerPort?: number;
  readonly fixtures?: readonly { name: string; correlationId: number }[];
}

interface Fixture {
  readonly build: string;
  /** `<Api>-v<version>[-<label>]`, shared by a request and its response. */
  readonly name: string;
  readonly api: string;
  readonly version: number;
  readonly label?: string;
  readonly side: 'request' | 'response';
  readonly bytes: Buffer;
  readonly capture: Capture;
}

function readFixtures(): { fixtures: Fixture[]; strays: string[] } {
  const fixtures: Fixture[] = [];
  const strays: string[] = [];
  if (!existsSync(fixtureRoot)) return { fixtures, strays };
  for (const build of readdirSync(fixtureRoot, { withFileTypes: true })) {
    if (!build.isDirectory()) continue;
    const dir = join(fixtureRoot, build.name);
    const indexFile = join(dir, 'index.json');
    const capture: Capture = existsSync(indexFile) ? JSON.parse(readFileSync(indexFile, 'utf8')) : {};
    for (const file of readdirSync(dir).sort()) {
      if (file === 'index.json') continue;
      const m = /^(([A-Za-z]+)-v(\d+)(?:-([a-z0-9]+))?)-(request|response)\.bin$/.exec(file);
      if (!m) {
        strays.push(`${build.name}/${file}`);
        continue;
      }
      fixtures.push({
        build: build.name,
        name: m[1],
        api: m[2],
        version: Number(m[3]),
        label: m[4],
        side: m[5] as 'request' | 'response',
        bytes: readFileSync(join(dir, file)),
        capture,
      });
    }
  }
  return { fixtures, strays };
}

const { fixtures, strays } = readFixtures();
const specByName = new Map(apiSpecs.map((api) => [api.name, api]));
const title = (f: Fixture) => `${f.build}/${f.name}-${f.side}`;
/** The quirks below are the mock's: frames from Apache Kafka get a key no list holds. */
const quirkKey = (f: Fixture) =>
  `${f.capture.broker === undefined ? '' : `${f.build}/`}${f.api}-v${f.version}-${f.side}`;

/** The request of a response fixture, decoded. */
function pairedRequest(f: Fixture): Message {
  const request = fixtures.find((r) => r.build === f.build && r.name === f.name && r.side === 'request');
  if (request === undefined) throw new Error(`${title(f)} has no request beside it`);
  return decodeRequest(request.bytes, apiSpecByKey).body;
}
const hex = (b: Buffer) => b.toString('hex');

function specOf(f: Fixture): ApiSpec {
  const api = specByName.get(f.api);
  if (api === undefined) throw new Error(`${title(f)}: no spec for ${f.api}`);
  return api;
}

/** The version a response body is written in (ApiVersions falls back to v0 on UNSUPPORTED_VERSION). */
function responseVersion(f: Fixture): number {
  if (f.api === ApiVersions.name && f.bytes.length >= 6 && f.bytes.readInt16BE(4) === UNSUPPORTED_VERSION)
    return 0;
  return f.version;
}

/** The compression codec id in the attributes of the first record batch of a `records` blob. */
function batchCompression(records: Buffer): number {
  expect(records.readInt8(L.MAGIC)).toBe(2); // magic: record batch v2
  return records.readInt16BE(L.ATTRIBUTES) & L.COMPRESSION_CODEC_MASK;
}
const codecIds: Record<string, number> = { none: 0, gzip: 1, snappy: 2, lz4: 3, zstd: 4 };

/** Checks of decoded values that the capture run fixed (topics, group, codecs, ports). */
const requestChecks: Record<string, (body: Message, f: Fixture) => void> = {
  Metadata: (body, f) => {
    // librdkafka's first Metadata request on a connection asks for brokers only (an empty list);
    // @platformatic/kafka asks for the topics it is about to use.
    if (f.capture.client === undefined) expect(body.topics).toEqual([]);
    else expect(body.topics.map((t: Message) => t.name)).toEqual(expect.arrayContaining(['group-topic']));
    if (body.allowAutoTopicCreation !== undefined) expect(body.allowAutoTopicCreation).toBe(false);
  },
  FindCoordinator: (body, f) => {
    // v4+ asks for several keys at once.
    if (f.version >= 4) expect(body.coordinatorKeys).toEqual(['fixtures']);
    else expect(body.key).toBe('fixtures');
    expect(body.keyType).toBe(0);
  },
  JoinGroup: (body) => {
    expect(body.groupId).toBe('fixtures');
    expect(body.protocolType).toBe('consumer');
    expect(body.protocols.length).toBeGreaterThan(0);
    for (const protocol of body.protocols) {
      const { body: subscription } = decodeVersioned(ConsumerProtocolSubscription, protocol.metadata);
      expect(subscription.topics).toEqual(['group-topic']);
    }
  },
  SyncGroup: (body) => {
    expect(body.groupId).toBe('fixtures');
    for (const member of body.assignments) {
      const { body: assignment } = decodeVersioned(ConsumerProtocolAssignment, member.assignment);
      expect(assignment.assignedPartitions.map((a: Message) => a.topic)).toEqual(['group-topic']);
    }
  },
  Heartbeat: (body) => {
    expect(body.groupId).toBe('fixtures');
    expect(body.generationId).toBeGreaterThan(0);
  },
  LeaveGroup: (body) => {
    expect(body.groupId).toBe('fixtures');
  },
  OffsetCommit: (body) => {
    expect(body.groupId).toBe('fixtures');
    expect(body.topics.map((t: Message) => t.name)).toEqual(['group-topic']);
  },
  OffsetFetch: (body, f) => {
    // v8+ asks for several groups at once.
    const group = f.version >= 8 ? body.groups[0] : body;
    expect(group.groupId).toBe('fixtures');
    expect(group.topics.map((t: Message) => t.name)).toEqual(['group-topic']);
  },
  ListOffsets: (body) => {
    expect(body.replicaId).toBe(-1);
    expect(body.topics[0].name).toMatch(/^codec-|^group-topic$/);
  },
  Fetch: (body, f) => {
    expect(body.maxWaitMs).toBeGreaterThan(0);
    // From v13 topics travel by id, before by name.
    if (f.version >= 13) expect(body.topics[0].topicId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/);
    else if (f.label) expect(body.topics[0].topic).toBe(`codec-${f.label}`);
  },
  Produce: (body, f) => {
    expect(body.acks).toBe(-1);
    const [topic] = body.topicData;
    if (f.label) {
      expect(topic.name).toBe(`codec-${f.label}`);
      const records: Buffer = topic.partitionData[0].records;
      expect(batchCompression(records)).toBe(codecIds[f.label]);
      expect(records.readInt32BE(L.RECORDS_COUNT)).toBe(10); // the record count kcat was given
    }
  },
  AddOffsetsToTxn: (body) => {
    expect([body.transactionalId, body.groupId]).toEqual(['fixtures-tx', 'fixtures-eos']);
  },
  TxnOffsetCommit: (body) => {
    expect([body.transactionalId, body.groupId]).toEqual(['fixtures-tx', 'fixtures-eos']);
    expect(body.topics.map((t: Message) => t.name)).toEqual(['group-topic']);
  },
  ConsumerGroupHeartbeat: (body, f) => {
    expect(body.groupId).toBe('fixtures-848');
    // The joining heartbeat: epoch 0, a member id the client made up, the whole subscription.
    expect(body.memberEpoch).toBe(0);
    // librdkafka: a base64 UUID and its default max.poll.interval.ms; @platformatic/kafka: a UUID
    // string and its rebalance timeout.
    const librdkafka = f.capture.client === undefined;
    expect(body.memberId).toMatch(
      librdkafka ? /^[\w-]{22}$/ : /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
    expect(body.rebalanceTimeoutMs).toBe(librdkafka ? 300000 : 102000);
    expect(body.subscribedTopicNames).toEqual(['group-topic']);
  },
};

const responseChecks: Record<string, (body: Message, f: Fixture) => void> = {
  ApiVersions: (body, f) => {
    const keys = body.apiKeys.map((k: Message) => k.apiKey);
    expect(keys).toEqual(expect.arrayContaining([0, 1, 3, 18]));
    if (responseVersion(f) !== f.version) expect(body.errorCode).toBe(UNSUPPORTED_VERSION);
    else expect(body.errorCode).toBe(0);
  },
  Metadata: (body, f) => {
    const requested = pairedRequest(f).topics;
    const names = body.topics.map((t: Message) => t.name);
    if (requested === null) expect(names).toEqual(expect.arrayContaining(['group-topic', 'codec-none']));
    else expect(names).toEqual(requested.map((t: Message) => t.name));
    // Kafka's cluster id is a base64 UUID (from kafka-storage format).
    expect(body.clusterId).toMatch(f.capture.broker === undefined ? /^mockCluster/ : /^[\w-]{22}$/);
    expect(body.brokers).toHaveLength(1);
    expect(body.brokers[0].host).toBe('127.0.0.1');
    if (f.capture.brokerPort !== undefined) expect(body.brokers[0].port).toBe(f.capture.brokerPort);
  },
  FindCoordinator: (body, f) => {
    // v4+ answers per key.
    const coordinator = f.version >= 4 ? body.coordinators[0] : body;
    expect(coordinator.errorCode).toBe(0);
    if (f.capture.brokerPort !== undefined) expect(coordinator.port).toBe(f.capture.brokerPort);
  },
  JoinGroup: (body) => {
    expect(body.errorCode).toBe(0);
    expect(body.generationId).toBeGreaterThan(0);
    expect(body.memberId).not.toBe('');
  },
  SyncGroup: (body) => {
    expect(body.errorCode).toBe(0);
    const { body: assignment } = decodeVersioned(ConsumerProtocolAssignment, body.assignment);
    expect(assignment.assignedPartitions).toEqual([
      expect.objectContaining({ topic: 'group-topic', partitions: [0, 1] }),
    ]);
  },
  OffsetCommit: (body) => {
    expect(body.topics[0].name).toBe('group-topic');
  },
  Fetch: (body, f) => {
    const partition = body.responses[0].partitions[0];
    expect(partition.errorCode).toBe(0);
    if (f.label) {
      expect(partition.highWatermark).toBe(10n);
      expect(batchCompression(partition.records)).toBe(codecIds[f.label]);
    }
  },
  AddOffsetsToTxn: (body) => {
    expect(body.errorCode).toBe(0);
  },
  TxnOffsetCommit: (body) => {
    expect(body.topics[0].partitions.map((p: Message) => p.errorCode)).toEqual([0]);
  },
  EndTxn: (body) => {
    expect(body.errorCode).toBe(0);
  },
  Produce: (body, f) => {
    const [topic] = body.responses;
    if (f.label) expect(topic.name).toBe(`codec-${f.label}`);
    expect(topic.partitionResponses[0].errorCode).toBe(0);
  },
};

describe('golden frames from outside clients and brokers', () => {
  it('are there', () => {
    expect(fixtures.length).toBeGreaterThan(0);
    expect(strays).toEqual([]);
  });

  it('name only APIs kafka-rx specs, or ones listed with a reason', () => {
    const unknown = [...new Set(fixtures.map((f) => f.api))].filter(
      (api) => !specByName.has(api) && !(api in notSpecced),
    );
    expect(unknown).toEqual([]);
  });

  it('cover each consumer and producer API in a non-flexible and a flexible version', () => {
    const missing: string[] = [];
    for (const name of required) {
      const api = specByName.get(name)!;
      const versions = (side: 'request' | 'response') =>
        fixtures.filter((f) => f.api === name && f.side === side).map((f) => f.version);
      const both = versions('request').filter((v) => versions('response').includes(v));
      if (!both.some((v) => !isFlexible(api.request, v))) missing.push(`${name} non-flexible`);
      if (!both.some((v) => isFlexible(api.request, v))) missing.push(`${name} flexible`);
    }
    expect(missing).toEqual(knownGaps);
  });

  for (const f of fixtures.filter((f) => f.api in notSpecced)) {
    it.skip(`${title(f)}: not specced (${notSpecced[f.api]})`, () => undefined);
  }

  const specced = fixtures.filter((f) => specByName.has(f.api));

  it.each(specced.filter((f) => f.side === 'request').map((f) => [title(f), f] as const))(
    '%s decodes and encodes back to the same bytes',
    (_title, f) => {
      const { header, api, body } = decodeRequest(f.bytes, apiSpecByKey);
      expect([api.name, header.apiVersion]).toEqual([f.api, f.version]);
      const recorded = f.capture.fixtures?.find((e) => e.name === f.name);
      if (recorded) expect(header.correlationId).toBe(recorded.correlationId);
      expect(header.clientId).toBe(f.capture.clientId ?? 'rdkafka');
      requestChecks[f.api]?.(body, f);

      const frame = encodeRequest(api, header.apiVersion, header, body);
      expect(frame.readInt32BE(0)).toBe(frame.length - 4);
      expect(hex(frame.subarray(4))).toBe(hex(f.bytes));
    },
  );

  const responses = specced.filter((f) => f.side === 'response');

  it.each(responses.filter((f) => !(quirkKey(f) in malformed)).map((f) => [title(f), f] as const))(
    '%s decodes and encodes back to the same bytes',
    (_title, f) => {
      const api = specOf(f);
      const version = responseVersion(f);
      let bytes = f.bytes;
      if (quirkKey(f) in strayTrailingByte) {
        expect(bytes[bytes.length - 1]).toBe(0);
        bytes = bytes.subarray(0, bytes.length - 1);
      }
      const { correlationId, body } = decodeResponse(api, version, bytes);
      const recorded = f.capture.fixtures?.find((e) => e.name === f.name);
      if (recorded) expect(correlationId).toBe(recorded.correlationId);
      responseChecks[f.api]?.(body, f);

      const frame = encodeResponse(api, version, correlationId, body);
      expect(frame.readInt32BE(0)).toBe(frame.length - 4);
      expect(hex(frame.subarray(4))).toBe(hex(bytes));
    },
  );

  it.each(responses.filter((f) => quirkKey(f) in malformed).map((f) => [title(f), f] as const))(
    '%s is malformed by the mock: its error code is still read',
    (_title, f) => {
      const api = specOf(f);
      expect(f.bytes.readInt16BE(4)).toBe(UNSUPPORTED_VERSION); // after the int32 correlation id
      // Read as the version asked for, the frame is an empty list and the error; the mock's extra
      // bytes after that are ignored, as any response's are. Read as v0 it is nonsense.
      expect(decodeResponse(api, f.version, f.bytes).body.errorCode).toBe(UNSUPPORTED_VERSION);
      expect(() => decodeResponse(api, 0, f.bytes)).toThrow(DecodeError);
    },
  );

  it('lists only mock quirks that some fixture shows', () => {
    const keys = new Set(fixtures.map(quirkKey));
    expect(
      [...Object.keys(malformed), ...Object.keys(strayTrailingByte)].filter((k) => !keys.has(k)),
    ).toEqual([]);
  });
});
