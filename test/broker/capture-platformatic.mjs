// Captures golden protocol frames from a second outside client,
// @platformatic/kafka (pure JavaScript), which sends the flexible versions of
// the classic group APIs that librdkafka's client never sends. It talks to the
// new mock broker build through a recording proxy; each API and version seen
// is written to test/fixtures/protocol/platformatic/. See the README there.
//
//   node test/broker/capture-platformatic.mjs
//
// Gaps between this client and librdkafka 2.12's mock are bridged by the
// proxy. Of a bridged exchange only the client's request is kept (index.json
// marks it `requestOnly`); the response the client saw was not the mock's:
// - ApiVersions: the client asks v3 only (no v0 fallback); the mock, once told
//   to accept v3, writes its flexible answer without per-key tagged fields and
//   with a plain (not +1) array count, so the proxy re-lays it out for the client.
// - FindCoordinator: the client has v4+ (batched keys) only, the mock v0-3, so
//   the proxy advertises v4 and answers it itself: the broker is the coordinator.
// - OffsetFetch: the client has v8+ (batched groups) only, the mock v0-6, so
//   the proxy advertises v8 and answers it itself: nothing committed yet.
// - JoinGroup v6, SyncGroup v4, LeaveGroup v4: the mock advertises them but
//   reads or writes their arrays in the non-flexible layout (int32 counts, no
//   tagged fields) and LeaveGroup in the v0-2 layout, so the proxy passes each
//   on as JoinGroup v5, SyncGroup v3 or LeaveGroup v2 and the answer back in
//   the client's version. The mock keeps the real group state, so Heartbeat
//   v4 and OffsetCommit v9 go to it unchanged and are kept whole.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  FETCH,
  PLATFORMATIC_CLIENT_ID as CLIENT_ID,
  PRODUCE,
  consumeInGroup,
  fixturesDir,
  loadPlatformatic,
  writeFixtures,
} from '../support/frame-capture.mjs';

const require = createRequire(import.meta.url);
require('./register-ts.cjs');
const { startMockCluster } = require('./mock-cluster.ts');
const { proxyCluster } = require('./proxied-cluster.ts');

const here = dirname(fileURLToPath(import.meta.url));
const { client, version: clientVersion } = await loadPlatformatic();
const { Admin, Producer, stringSerializers } = client;

const LIST_OFFSETS = 2;
const OFFSET_FETCH = 9;
const FIND_COORDINATOR = 10;
const API_VERSIONS = 18;
const GROUP = 'fixtures';
const GROUP_TOPIC = 'group-topic';

/** Reads a request frame as far as the bridged requests need. */
class Reader {
  constructor(buf, at = 0) {
    this.buf = buf;
    this.at = at;
  }
  int8 = () => this.buf.readInt8((this.at += 1) - 1);
  int16 = () => this.buf.readInt16BE((this.at += 2) - 2);
  int32 = () => this.buf.readInt32BE((this.at += 4) - 4);
  uvarint() {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const b = this.buf[this.at++];
      value += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return value;
    }
  }
  /** Compact array of `item`; null for a null array. */
  array(item) {
    const n = this.uvarint() - 1;
    if (n < 0) return null;
    return Array.from({ length: n }, () => item());
  }
  string() {
    const n = this.uvarint() - 1;
    if (n < 0) return null;
    return this.buf.toString('utf8', this.at, (this.at += n));
  }
  bytes() {
    const n = this.uvarint() - 1;
    if (n < 0) return null;
    return this.buf.subarray(this.at, (this.at += n));
  }
  /** Non-flexible (int16 length) string. */
  string16() {
    const n = this.int16();
    if (n < 0) return null;
    return this.buf.toString('utf8', this.at, (this.at += n));
  }
  /** Non-flexible (int32 length) bytes. */
  bytes32() {
    const n = this.int32();
    if (n < 0) return null;
    return this.buf.subarray(this.at, (this.at += n));
  }
  /** Non-flexible (int32 count) array. */
  array32(item) {
    const n = this.int32();
    if (n < 0) return null;
    return Array.from({ length: n }, () => item());
  }
  tags() {
    for (let n = this.uvarint(); n > 0; n--) {
      this.uvarint();
      this.at += this.uvarint();
    }
  }
  /** Skips request header v2 (apiKey, version, correlation id, client id, tags). */
  static body(frame) {
    const r = new Reader(frame, 8);
    r.at += 2 + Math.max(0, r.buf.readInt16BE(8));
    r.tags();
    return r;
  }
}

/** Writes frames (without the size prefix), flexible and not. */
class Writer {
  parts = [];
  raw(b) {
    this.parts.push(b);
    return this;
  }
  fixed(bytes, write) {
    const b = Buffer.alloc(bytes);
    write(b);
    return this.raw(b);
  }
  int16 = (v) => this.fixed(2, (b) => b.writeInt16BE(v));
  int32 = (v) => this.fixed(4, (b) => b.writeInt32BE(v));
  int64 = (v) => this.fixed(8, (b) => b.writeBigInt64BE(BigInt(v)));
  uvarint(v) {
    const bytes = [];
    for (; v >= 0x80; v = Math.floor(v / 128)) bytes.push((v & 0x7f) | 0x80);
    bytes.push(v);
    return this.raw(Buffer.from(bytes));
  }
  string(s) {
    if (s === null) return this.uvarint(0);
    const b = Buffer.from(s);
    return this.uvarint(b.length + 1).raw(b);
  }
  bytes(b) {
    if (b === null) return this.uvarint(0);
    return this.uvarint(b.length + 1).raw(b);
  }
  array(items, write) {
    this.uvarint(items.length + 1);
    for (const item of items) write(item);
    return this;
  }
  string16(s) {
    if (s === null) return this.int16(-1);
    const b = Buffer.from(s);
    return this.int16(b.length).raw(b);
  }
  bytes32(b) {
    if (b === null) return this.int32(-1);
    return this.int32(b.length).raw(b);
  }
  array32(items, write) {
    this.int32(items.length);
    for (const item of items) write(item);
    return this;
  }
  tags = () => this.uvarint(0);
  done = () => Buffer.concat(this.parts);
}

/**
 * The mock's ApiVersions v3 answer, laid out as Kafka defines v3, with
 * FindCoordinator raised to v4 and OffsetFetch to v8 (the proxy answers those).
 */
function relayApiVersions(frame) {
  const r = new Reader(frame, 4);
  const errorCode = r.int16();
  const count = r.buf[r.at++]; // a plain count byte, see above
  const keys = Array.from({ length: count }, () => ({ apiKey: r.int16(), min: r.int16(), max: r.int16() }));
  const throttleTimeMs = r.int32();
  const raised = { [FIND_COORDINATOR]: 4, [OFFSET_FETCH]: 8 };
  const w = new Writer().raw(frame.subarray(0, 4)).int16(errorCode);
  w.array(keys, (k) =>
    w
      .int16(k.apiKey)
      .int16(k.min)
      .int16(Math.max(k.max, raised[k.apiKey] ?? k.max))
      .tags(),
  );
  return w.int32(throttleTimeMs).tags().done();
}

/** FindCoordinator v4: the one broker (node 1, behind `proxyPort`) coordinates every key. */
function answerFindCoordinator(request, proxyPort) {
  const r = Reader.body(request);
  r.int8(); // key_type
  const keys = r.array(() => r.string());
  const w = new Writer().raw(request.subarray(4, 8)).tags().int32(0);
  w.array(keys, (key) =>
    w.string(key).int32(1).string('127.0.0.1').int32(proxyPort).int16(0).string(null).tags(),
  );
  return w.tags().done();
}

/** OffsetFetch v8: no offsets committed (-1) for each partition asked. */
function answerOffsetFetch(request) {
  const r = Reader.body(request);
  const groups = r.array(() => {
    const groupId = r.string();
    const topics = r.array(() => {
      const name = r.string();
      const partitions = r.array(() => r.int32());
      r.tags();
      return { name, partitions };
    });
    r.tags();
    return { groupId, topics: topics ?? [] };
  });
  const w = new Writer().raw(request.subarray(4, 8)).tags().int32(0);
  w.array(groups, (g) => {
    w.string(g.groupId);
    w.array(g.topics, (t) => {
      w.string(t.name);
      w.array(t.partitions, (p) => w.int32(p).int64(-1).int32(-1).string(null).int16(0).tags());
      w.tags();
    });
    w.int16(0).tags();
  });
  return w.tags().done();
}

/** Request header v1 for `version` (apiKey, version, correlation id, client id), from a v2 header. */
function headerV1(frame, version) {
  const clientIdEnd = 10 + Math.max(0, frame.readInt16BE(8));
  const header = Buffer.from(frame.subarray(0, clientIdEnd));
  header.writeInt16BE(version, 2);
  return header;
}

/** Requests the proxy passes on in an older version: client version -> [mock version, request, response]. */
const DOWNGRADES = {
  // JoinGroup v6 -> v5
  11: [
    6,
    5,
    (frame) => {
      const r = Reader.body(frame);
      const w = new Writer().raw(headerV1(frame, 5));
      w.string16(r.string()).int32(r.int32()).int32(r.int32()); // group_id, session and rebalance timeouts
      w.string16(r.string()).string16(r.string()).string16(r.string()); // member_id, group_instance_id, protocol_type
      const protocols = r.array(() => {
        const p = { name: r.string(), metadata: r.bytes() };
        r.tags();
        return p;
      });
      w.array32(protocols, (p) => w.string16(p.name).bytes32(p.metadata));
      return w.done();
    },
    (frame) => {
      const r = new Reader(frame, 4);
      const w = new Writer().raw(frame.subarray(0, 4)).tags();
      w.int32(r.int32()).int16(r.int16()).int32(r.int32()); // throttle, error, generation
      w.string(r.string16()).string(r.string16()).string(r.string16()); // protocol_name, leader, member_id
      const members = r.array32(() => ({
        memberId: r.string16(),
        groupInstanceId: r.string16(),
        metadata: r.bytes32(),
      }));
      w.array(members, (m) => w.string(m.memberId).string(m.groupInstanceId).bytes(m.metadata).tags());
      return w.tags().done();
    },
  ],
  // SyncGroup v4 -> v3
  14: [
    4,
    3,
    (frame) => {
      const r = Reader.body(frame);
      const w = new Writer().raw(headerV1(frame, 3));
      w.string16(r.string()).int32(r.int32()).string16(r.string()).string16(r.string());
      const assignments = r.array(() => {
        const a = { memberId: r.string(), assignment: r.bytes() };
        r.tags();
        return a;
      });
      w.array32(assignments, (a) => w.string16(a.memberId).bytes32(a.assignment));
      return w.done();
    },
    (frame) => {
      const r = new Reader(frame, 4);
      const w = new Writer().raw(frame.subarray(0, 4)).tags();
      return w.int32(r.int32()).int16(r.int16()).bytes(r.bytes32()).tags().done();
    },
  ],
  // LeaveGroup v4 -> v2 (one member, as this client leaves)
  13: [
    4,
    2,
    (frame) => {
      const r = Reader.body(frame);
      const groupId = r.string();
      const members = r.array(() => {
        const m = { memberId: r.string(), groupInstanceId: r.string() };
        r.tags();
        return m;
      });
      if (members.length !== 1)
        throw new Error(`LeaveGroup with ${members.length} members cannot be passed on as v2`);
      leavingMembers.set(frame.readInt32BE(4), members);
      return new Writer().raw(headerV1(frame, 2)).string16(groupId).string16(members[0].memberId).done();
    },
    (frame) => {
      const r = new Reader(frame, 4);
      const throttleTimeMs = r.int32();
      const errorCode = r.int16();
      const members = leavingMembers.get(frame.readInt32BE(0)) ?? [];
      const w = new Writer().raw(frame.subarray(0, 4)).tags().int32(throttleTimeMs).int16(errorCode);
      w.array(members, (m) => w.string(m.memberId).string(m.groupInstanceId).int16(errorCode).tags());
      return w.tags().done();
    },
  ],
};
const leavingMembers = new Map(); // correlation id -> members of a LeaveGroup v4

/** Produces 20 records on the group topic, then consumes them in group `fixtures` and leaves. */
async function producerAndConsumer(bootstrap, label) {
  const admin = new Admin({ clientId: CLIENT_ID, bootstrapBrokers: [bootstrap] });
  try {
    await admin.metadata({ topics: [GROUP_TOPIC, 'codec-none'] });
  } finally {
    await admin.close();
  }

  const producer = new Producer({
    clientId: CLIENT_ID,
    bootstrapBrokers: [bootstrap],
    serializers: stringSerializers,
    idempotent: true, // InitProducerId
    // Its default asks to bump producer 0's epoch (KIP-360); -1/-1 asks for a new id.
    producerId: -1n,
    producerEpoch: -1,
    acks: -1,
  });
  try {
    const messages = Array.from({ length: 20 }, (_, i) => ({
      topic: GROUP_TOPIC,
      partition: i % 2,
      key: `${label}-key-${i}`,
      value: `${label}-value-${i}`,
      headers: { h: label },
    }));
    await producer.send({ messages });
  } finally {
    await producer.close();
  }

  await consumeInGroup(client, bootstrap, GROUP, GROUP_TOPIC, 20, {
    consume: {
      // Its default labels the subscription version 1 but writes the v0 layout
      // (no owned_partitions); version 0 makes it a well-formed v0 subscription.
      protocols: [{ name: 'roundrobin', version: 0 }],
    },
    accept: (message) => message.value.startsWith(`${label}-`),
    stayMs: 1200, // heartbeats and commits
  });
}

async function main() {
  execFileSync(join(here, 'build.sh'), { stdio: 'inherit' });
  const cluster = await startMockCluster({
    build: 'new',
    brokers: 1,
    topics: [
      { name: GROUP_TOPIC, partitions: 2 },
      { name: 'codec-none', partitions: 1 },
    ],
  });
  let proxyPort = 0;
  const answered = []; // requests the proxy answered itself, as exchanges without a response
  const downgrade = (apiKey, version) =>
    DOWNGRADES[apiKey]?.[0] === version ? DOWNGRADES[apiKey] : undefined;
  const proxied = await proxyCluster(cluster, {
    rewriteResponse(apiKey, version, frame) {
      if (apiKey === API_VERSIONS && version >= 3) return relayApiVersions(frame);
      return downgrade(apiKey, version)?.[3](frame) ?? frame;
    },
    rewriteRequest: (apiKey, version, frame) => downgrade(apiKey, version)?.[2](frame) ?? frame,
    answerRequest(apiKey, version, frame) {
      let response;
      if (apiKey === FIND_COORDINATOR && version >= 4) response = answerFindCoordinator(frame, proxyPort);
      if (apiKey === OFFSET_FETCH && version >= 8) response = answerOffsetFetch(frame);
      if (response)
        answered.push({ apiKey, apiVersion: version, correlationId: frame.readInt32BE(4), request: frame });
      return response;
    },
  });
  proxyPort = proxied.proxies[0].port;
  const log = proxied.proxies[0].exchanges;

  try {
    const mockVersion = await cluster.version();
    // The client asks ApiVersions v3 and nothing older.
    await cluster.setApiVersion(API_VERSIONS, 0, 3);
    // Kafka lays these out exactly as the mock's highest versions (Fetch 17
    // adds only a tagged field; Produce 11 and ListOffsets 8-9 change no field),
    // so the mock reads and writes them correctly.
    await cluster.setApiVersion(FETCH, 0, 17);
    await cluster.setApiVersion(PRODUCE, 0, 11);
    await cluster.setApiVersion(LIST_OFFSETS, 0, 9);
    await producerAndConsumer(proxied.bootstrap, 'highest');

    // Then the client's non-flexible versions, where it has any (each new
    // client asks ApiVersions again).
    await cluster.setApiVersion(PRODUCE, 0, 8);
    await cluster.setApiVersion(LIST_OFFSETS, 0, 5);
    await producerAndConsumer(proxied.bootstrap, 'older');

    // Per API and version, the exchange with the largest response (the Fetch
    // that returned records, the JoinGroup that named the leader's members),
    // the first of equals. ApiVersions v3 answers are the mock's own layout
    // (see above), not Kafka's, so they are left out.
    const chosen = new Map();
    for (const e of log) {
      if (e.apiKey === API_VERSIONS || downgrade(e.apiKey, e.apiVersion)) continue;
      const key = `${e.apiKey}/${e.apiVersion}`;
      const best = chosen.get(key);
      if (!best || e.response.length > best.response.length) chosen.set(key, e);
    }
    // Bridged exchanges: the largest request (JoinGroup with its subscription,
    // SyncGroup with the leader's assignment), without a response.
    for (const e of [...log.filter((e) => downgrade(e.apiKey, e.apiVersion)), ...answered]) {
      const key = `${e.apiKey}/${e.apiVersion}`;
      const best = chosen.get(key);
      if (!best || e.request.length > best.request.length) chosen.set(key, { ...e, response: undefined });
    }

    const index = writeFixtures(
      fixturesDir('platformatic'),
      [...chosen.values()].map((exchange) => ({ exchange })),
      {
        build: 'new',
        librdkafka: mockVersion,
        client: `@platformatic/kafka ${clientVersion}`,
        clientId: CLIENT_ID,
        brokerPort: cluster.brokers[0].port,
      },
    );
    console.log(
      `platformatic (@platformatic/kafka ${clientVersion}, mock librdkafka ${mockVersion}): ${index.map((f) => f.name).join(', ')}`,
    );
  } finally {
    await proxied.close();
    await cluster.stop();
  }
}

await main();
