/**
 * A proxy per mock broker that lets @platformatic/kafka talk to librdkafka's mock cluster.
 *
 * The client sends only flexible versions, and the mock gets some of them wrong or lacks them
 * (test/broker/capture-platformatic.mjs met the same gaps):
 * - ApiVersions: the client asks v3 only; the mock refuses v3, so the proxy asks v2 and lays the
 *   answer out as v3, raising FindCoordinator to v4, OffsetFetch to v8 and the group APIs below
 *   to the versions the proxy translates (the harness caps them in the mock).
 * - FindCoordinator v4+ and OffsetFetch v8+ (batched keys and groups), which the mock lacks: the
 *   proxy answers them itself (broker 1 coordinates, which the harness tells the mock; nothing is
 *   committed yet, as the group is fresh).
 * - JoinGroup v6, SyncGroup v4, LeaveGroup v4, which the mock reads or writes in a non-flexible
 *   layout: passed on as v5, v3 and v2, and the answers brought back to the client's version.
 * - Metadata: broker ports are rewritten to the proxies' so the client stays behind them.
 *
 * Every other frame (Fetch above all) streams through untouched: only its 8-byte head (size and
 * correlation id) is read, and its body is relayed chunk by chunk without copying, so the proxy
 * adds as little as a relay can to the client's time. It still runs on the same cores.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

const METADATA = 3;
const OFFSET_FETCH = 9;
const FIND_COORDINATOR = 10;
const JOIN_GROUP = 11;
const LEAVE_GROUP = 13;
const SYNC_GROUP = 14;
const API_VERSIONS = 18;

export interface MockBroker {
  readonly id: number;
  readonly host: string;
  readonly port: number;
}

export interface PlatformaticBridge {
  /** Bootstrap list of the proxies. */
  readonly bootstrap: string;
  close(): Promise<void>;
}

/** What the proxy does with one request: pass it on (maybe rewritten) or answer it. */
type Response = (frame: Buffer) => Buffer;
interface Plan {
  readonly request?: Buffer;
  readonly answer?: Buffer;
  /** Rewrites the broker's whole response frame (without size); absent: stream it through. */
  readonly response?: Response;
}

/** Starts one proxy per broker; broker 1 must coordinate the client's group. */
export async function bridgePlatformatic(brokers: readonly MockBroker[]): Promise<PlatformaticBridge> {
  const portMap = new Map<number, number>();
  const servers: Server[] = [];
  const sockets = new Set<Socket>();
  let coordinatorPort = 0;

  const plan = (frame: Buffer): Plan => {
    const apiKey = frame.readInt16BE(0);
    const version = frame.readInt16BE(2);
    if (apiKey === API_VERSIONS && version >= 3)
      return { request: headerV1(frame, 2), response: apiVersionsV3 };
    if (apiKey === FIND_COORDINATOR && version >= 4)
      return { answer: findCoordinatorV4(frame, coordinatorPort) };
    if (apiKey === OFFSET_FETCH && version >= 8) return { answer: offsetFetchNothingCommitted(frame) };
    if (apiKey === METADATA && version >= 9) return { response: (f) => metadataPorts(f, portMap) };
    if (apiKey === JOIN_GROUP && version === 6)
      return { request: joinGroupV5(frame), response: joinGroupV6Response };
    if (apiKey === SYNC_GROUP && version === 4)
      return { request: syncGroupV3(frame), response: syncGroupV4Response };
    if (apiKey === LEAVE_GROUP && version === 4) {
      const { request, members } = leaveGroupV2(frame);
      return { request, response: (f) => leaveGroupV4Response(f, members) };
    }
    return {};
  };

  for (const broker of brokers) {
    const server = createServer((client) => {
      const upstream = connect({ host: broker.host, port: broker.port });
      sockets.add(client).add(upstream);
      const inFlight = new Map<number, Response>();
      const relay = new ResponseRelay(client, inFlight);
      client.on(
        'data',
        framesOf((frame) => {
          const p = plan(frame);
          if (p.answer) relay.answer(p.answer);
          else {
            if (p.response) inFlight.set(frame.readInt32BE(4), p.response);
            upstream.write(sized(p.request ?? frame));
          }
        }),
      );
      upstream.on('data', (chunk: Buffer) => relay.data(chunk));
      const closeBoth = () => {
        client.destroy();
        upstream.destroy();
        sockets.delete(client);
        sockets.delete(upstream);
      };
      for (const s of [client, upstream]) s.on('error', closeBoth).on('close', closeBoth);
    });
    await new Promise<void>((resolve, reject) =>
      server.once('error', reject).listen(0, '127.0.0.1', resolve),
    );
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('proxy has no TCP address');
    portMap.set(broker.port, address.port);
    if (broker.id === 1) coordinatorPort = address.port;
    servers.push(server);
  }
  return {
    bootstrap: brokers.map((b) => `127.0.0.1:${portMap.get(b.port)}`).join(','),
    close: async () => {
      for (const s of sockets) s.destroy();
      await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    },
  };
}

/** Splits a byte stream into whole frames (without the size); for requests, which are small. */
function framesOf(onFrame: (frame: Buffer) => void): (chunk: Buffer) => void {
  let pending: Buffer = Buffer.alloc(0);
  return (chunk) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
      const size = pending.readInt32BE(0);
      onFrame(pending.subarray(4, 4 + size));
      pending = pending.subarray(4 + size);
    }
  };
}

/**
 * Relays response frames to the client: reads each frame's size and correlation id, then either
 * streams the body through as it arrives, or collects it for a rewrite. The proxy's own answers
 * wait for the end of the frame being relayed.
 */
class ResponseRelay {
  private head: Buffer = Buffer.alloc(0);
  private passing = 0;
  private collecting: { remaining: number; parts: Buffer[]; rewrite: Response } | null = null;
  private readonly answers: Buffer[] = [];

  constructor(
    private readonly client: Socket,
    private readonly inFlight: Map<number, Response>,
  ) {}

  answer(frame: Buffer): void {
    if (this.passing === 0 && this.collecting === null) this.client.write(sized(frame));
    else this.answers.push(frame);
  }

  data(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.passing > 0) {
        const n = Math.min(this.passing, chunk.length - at);
        this.client.write(chunk.subarray(at, at + n));
        this.passing -= n;
        at += n;
        if (this.passing === 0) this.flushAnswers();
      } else if (this.collecting) {
        const c = this.collecting;
        const n = Math.min(c.remaining, chunk.length - at);
        c.parts.push(chunk.subarray(at, at + n));
        c.remaining -= n;
        at += n;
        if (c.remaining === 0) this.rewritten(c.rewrite, Buffer.concat(c.parts));
      } else {
        const n = Math.min(8 - this.head.length, chunk.length - at);
        this.head = Buffer.concat([this.head, chunk.subarray(at, at + n)]);
        at += n;
        if (this.head.length < 8) continue;
        const size = this.head.readInt32BE(0);
        const correlationId = this.head.readInt32BE(4);
        const rewrite = this.inFlight.get(correlationId);
        if (rewrite) {
          this.inFlight.delete(correlationId);
          this.collecting = { remaining: size - 4, parts: [this.head.subarray(4)], rewrite };
          if (size === 4) this.rewritten(rewrite, this.head.subarray(4));
        } else {
          this.client.write(this.head);
          this.passing = size - 4;
          if (this.passing === 0) this.flushAnswers();
        }
        this.head = Buffer.alloc(0);
      }
    }
  }

  private rewritten(rewrite: Response, frame: Buffer): void {
    this.collecting = null;
    this.client.write(sized(rewrite(frame)));
    this.flushAnswers();
  }

  private flushAnswers(): void {
    for (const frame of this.answers.splice(0)) this.client.write(sized(frame));
  }
}

function sized(frame: Buffer): Buffer {
  const size = Buffer.alloc(4);
  size.writeInt32BE(frame.length);
  return Buffer.concat([size, frame]);
}

/** Reads Kafka's primitives, flexible (compact) and not. */
class Reader {
  constructor(
    readonly buf: Buffer,
    public at: number,
  ) {}
  int8 = () => this.buf.readInt8((this.at += 1) - 1);
  int16 = () => this.buf.readInt16BE((this.at += 2) - 2);
  int32 = () => this.buf.readInt32BE((this.at += 4) - 4);
  uvarint(): number {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const b = this.buf[this.at++];
      value += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return value;
    }
  }
  string(): string | null {
    const n = this.uvarint() - 1;
    return n < 0 ? null : this.buf.toString('utf8', this.at, (this.at += n));
  }
  bytes(): Buffer | null {
    const n = this.uvarint() - 1;
    return n < 0 ? null : this.buf.subarray(this.at, (this.at += n));
  }
  array<T>(item: () => T): T[] {
    const n = this.uvarint() - 1;
    return Array.from({ length: Math.max(0, n) }, item);
  }
  string16(): string | null {
    const n = this.int16();
    return n < 0 ? null : this.buf.toString('utf8', this.at, (this.at += n));
  }
  bytes32(): Buffer | null {
    const n = this.int32();
    return n < 0 ? null : this.buf.subarray(this.at, (this.at += n));
  }
  array32<T>(item: () => T): T[] {
    return Array.from({ length: Math.max(0, this.int32()) }, item);
  }
  tags(): void {
    for (let n = this.uvarint(); n > 0; n--) {
      this.uvarint();
      this.at += this.uvarint();
    }
  }
  /** A request body after header v2 (apiKey, version, correlation id, client id, tagged fields). */
  static body(frame: Buffer): Reader {
    const r = new Reader(frame, 10 + Math.max(0, frame.readInt16BE(8)));
    r.tags();
    return r;
  }
}

/** Writes Kafka's primitives, flexible (compact) and not. */
class Writer {
  private readonly parts: Buffer[] = [];
  raw(b: Buffer): this {
    this.parts.push(b);
    return this;
  }
  private fixed(n: number, write: (b: Buffer) => void): this {
    const b = Buffer.alloc(n);
    write(b);
    return this.raw(b);
  }
  int16 = (v: number) => this.fixed(2, (b) => b.writeInt16BE(v));
  int32 = (v: number) => this.fixed(4, (b) => b.writeInt32BE(v));
  int64 = (v: bigint) => this.fixed(8, (b) => b.writeBigInt64BE(v));
  uvarint(v: number): this {
    const bytes: number[] = [];
    for (; v >= 0x80; v = Math.floor(v / 128)) bytes.push((v & 0x7f) | 0x80);
    bytes.push(v);
    return this.raw(Buffer.from(bytes));
  }
  string(s: string | null): this {
    if (s === null) return this.uvarint(0);
    const b = Buffer.from(s);
    return this.uvarint(b.length + 1).raw(b);
  }
  bytes(b: Buffer | null): this {
    return b === null ? this.uvarint(0) : this.uvarint(b.length + 1).raw(b);
  }
  array<T>(items: readonly T[], write: (item: T) => void): this {
    this.uvarint(items.length + 1);
    items.forEach(write);
    return this;
  }
  string16(s: string | null): this {
    if (s === null) return this.int16(-1);
    const b = Buffer.from(s);
    return this.int16(b.length).raw(b);
  }
  bytes32(b: Buffer | null): this {
    return b === null ? this.int32(-1) : this.int32(b.length).raw(b);
  }
  array32<T>(items: readonly T[], write: (item: T) => void): this {
    this.int32(items.length);
    items.forEach(write);
    return this;
  }
  tags = () => this.uvarint(0);
  done = () => Buffer.concat(this.parts);
}

/** Request header v1 (apiKey, `version`, correlation id, client id) taken from a v2 header. */
function headerV1(frame: Buffer, version: number): Buffer {
  const header = Buffer.from(frame.subarray(0, 10 + Math.max(0, frame.readInt16BE(8))));
  header.writeInt16BE(version, 2);
  return header;
}

/** ApiVersions v2 answer laid out as v3 (response header v0, as Kafka keeps for ApiVersions). */
function apiVersionsV3(frame: Buffer): Buffer {
  const r = new Reader(frame, 4);
  const errorCode = r.int16();
  const keys = r.array32(() => ({ apiKey: r.int16(), min: r.int16(), max: r.int16() }));
  const throttleTimeMs = r.int32();
  // The bridge serves these versions itself, whatever the mock advertises.
  const raised: Record<number, number> = {
    [FIND_COORDINATOR]: 4,
    [OFFSET_FETCH]: 8,
    [JOIN_GROUP]: 6,
    [SYNC_GROUP]: 4,
    [LEAVE_GROUP]: 4,
  };
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

/** FindCoordinator v4: broker 1 (behind `port`) coordinates every key. */
function findCoordinatorV4(request: Buffer, port: number): Buffer {
  const r = Reader.body(request);
  r.int8(); // key_type
  const keys = r.array(() => r.string());
  const w = new Writer().raw(request.subarray(4, 8)).tags().int32(0);
  w.array(keys, (key) => w.string(key).int32(1).string('127.0.0.1').int32(port).int16(0).string(null).tags());
  return w.tags().done();
}

/** OffsetFetch v8: no committed offset (-1) for any partition asked. */
function offsetFetchNothingCommitted(request: Buffer): Buffer {
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
    return { groupId, topics };
  });
  const w = new Writer().raw(request.subarray(4, 8)).tags().int32(0);
  w.array(groups, (g) => {
    w.string(g.groupId);
    w.array(g.topics, (t) => {
      w.string(t.name);
      w.array(t.partitions, (p) => w.int32(p).int64(-1n).int32(-1).string(null).int16(0).tags());
      w.tags();
    });
    w.int16(0).tags();
  });
  return w.tags().done();
}

/** Metadata v9+ (flexible): each broker's port replaced by its proxy's, in place. */
function metadataPorts(frame: Buffer, portMap: Map<number, number>): Buffer {
  const r = new Reader(frame, 4);
  r.tags(); // response header v1
  r.int32(); // throttle_time_ms
  const brokers = r.uvarint() - 1;
  for (let i = 0; i < brokers; i++) {
    r.int32(); // node_id
    r.string(); // host
    const port = frame.readInt32BE(r.at);
    frame.writeInt32BE(portMap.get(port) ?? port, r.at);
    r.at += 4;
    r.string(); // rack
    r.tags();
  }
  return frame;
}

function joinGroupV5(frame: Buffer): Buffer {
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
}

function joinGroupV6Response(frame: Buffer): Buffer {
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
}

function syncGroupV3(frame: Buffer): Buffer {
  const r = Reader.body(frame);
  const w = new Writer().raw(headerV1(frame, 3));
  w.string16(r.string()).int32(r.int32()).string16(r.string()).string16(r.string()); // group, generation, member, instance
  const assignments = r.array(() => {
    const a = { memberId: r.string(), assignment: r.bytes() };
    r.tags();
    return a;
  });
  w.array32(assignments, (a) => w.string16(a.memberId).bytes32(a.assignment));
  return w.done();
}

function syncGroupV4Response(frame: Buffer): Buffer {
  const r = new Reader(frame, 4);
  const w = new Writer().raw(frame.subarray(0, 4)).tags();
  return w.int32(r.int32()).int16(r.int16()).bytes(r.bytes32()).tags().done();
}

interface LeavingMember {
  memberId: string | null;
  groupInstanceId: string | null;
}

/** LeaveGroup v4 of one member as v2 (the client leaves alone). */
function leaveGroupV2(frame: Buffer): { request: Buffer; members: LeavingMember[] } {
  const r = Reader.body(frame);
  const groupId = r.string();
  const members = r.array(() => {
    const m = { memberId: r.string(), groupInstanceId: r.string() };
    r.tags();
    return m;
  });
  const request = new Writer()
    .raw(headerV1(frame, 2))
    .string16(groupId)
    .string16(members[0]?.memberId ?? '')
    .done();
  return { request, members };
}

function leaveGroupV4Response(frame: Buffer, members: LeavingMember[]): Buffer {
  const r = new Reader(frame, 4);
  const throttleTimeMs = r.int32();
  const errorCode = r.int16();
  const w = new Writer().raw(frame.subarray(0, 4)).tags().int32(throttleTimeMs).int16(errorCode);
  w.array(members, (m) => w.string(m.memberId).string(m.groupInstanceId).int16(errorCode).tags());
  return w.tags().done();
}
