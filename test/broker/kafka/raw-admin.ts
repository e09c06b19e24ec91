import { rawRequest } from '../raw-request';

/**
 * Metadata and CreateTopics written by hand (non-flexible versions that Kafka 4 still accepts:
 * Metadata v4, CreateTopics v4), so that the harness does not rest on the client it tests.
 */

export interface HostPort {
  host: string;
  port: number;
}

export interface RawMetadata {
  brokers: { nodeId: number; host: string; port: number }[];
  controllerId: number;
  topics: {
    errorCode: number;
    name: string;
    partitions: { errorCode: number; partition: number; leader: number; replicas: number[]; isr: number[] }[];
  }[];
}

class Reader {
  private at = 0;
  constructor(private readonly b: Buffer) {}
  int16(): number {
    return this.b.readInt16BE((this.at += 2) - 2);
  }
  int32(): number {
    return this.b.readInt32BE((this.at += 4) - 4);
  }
  int64(): bigint {
    return this.b.readBigInt64BE((this.at += 8) - 8);
  }
  bool(): boolean {
    return this.b.readInt8(this.at++) !== 0;
  }
  string(): string | null {
    const n = this.int16();
    if (n < 0) return null;
    return this.b.toString('utf8', this.at, (this.at += n));
  }
  array<T>(item: () => T): T[] {
    const n = this.int32();
    return Array.from({ length: Math.max(n, 0) }, item);
  }
}

function string(s: string | null): Buffer {
  if (s === null) return Buffer.from([0xff, 0xff]);
  const bytes = Buffer.from(s);
  const size = Buffer.alloc(2);
  size.writeInt16BE(bytes.length);
  return Buffer.concat([size, bytes]);
}

function int(bits: 8 | 16 | 32, n: number): Buffer {
  const b = Buffer.alloc(bits / 8);
  if (bits === 8) b.writeInt8(n);
  else if (bits === 16) b.writeInt16BE(n);
  else b.writeInt32BE(n);
  return b;
}

function array<T>(items: T[] | null, item: (t: T) => Buffer): Buffer {
  if (items === null) return int(32, -1);
  return Buffer.concat([int(32, items.length), ...items.map(item)]);
}

/** Metadata v4 for `topics` (all topics when null), without auto-creation. */
export async function rawMetadata(
  address: HostPort,
  topics: string[] | null = null,
  timeoutMs = 5000,
): Promise<RawMetadata> {
  const body = await rawRequest(address, 3, 4, Buffer.concat([array(topics, string), int(8, 0)]), timeoutMs);
  const r = new Reader(body);
  r.int32(); // throttle_time_ms
  const brokers = r.array(() => ({
    nodeId: r.int32(),
    host: r.string()!,
    port: r.int32(),
    rack: r.string(),
  }));
  r.string(); // cluster_id
  const controllerId = r.int32();
  const parsed = r.array(() => ({
    errorCode: r.int16(),
    name: r.string()!,
    internal: r.bool(),
    partitions: r.array(() => ({
      errorCode: r.int16(),
      partition: r.int32(),
      leader: r.int32(),
      replicas: r.array(() => r.int32()),
      isr: r.array(() => r.int32()),
    })),
  }));
  return {
    brokers: brokers.map(({ nodeId, host, port }) => ({ nodeId, host, port })),
    controllerId,
    topics: parsed.map(({ errorCode, name, partitions }) => ({ errorCode, name, partitions })),
  };
}

export interface NewTopic {
  name: string;
  partitions?: number;
  /** Default: the broker's default.replication.factor (-1). */
  replicationFactor?: number;
  configs?: Record<string, string>;
}

export interface CreateTopicResult {
  name: string;
  errorCode: number;
  errorMessage: string | null;
}

/** CreateTopics v4; resolves with each topic's error code (0, or 36 TOPIC_ALREADY_EXISTS, ...). */
export async function rawCreateTopics(
  address: HostPort,
  topics: NewTopic[],
  timeoutMs = 10000,
): Promise<CreateTopicResult[]> {
  const request = Buffer.concat([
    array(topics, (t) =>
      Buffer.concat([
        string(t.name),
        int(32, t.partitions ?? 1),
        int(16, t.replicationFactor ?? -1),
        array([], () => Buffer.alloc(0)), // assignments
        array(Object.entries(t.configs ?? {}), ([k, v]) => Buffer.concat([string(k), string(v)])),
      ]),
    ),
    int(32, timeoutMs),
    int(8, 0), // validate_only
  ]);
  const body = await rawRequest(address, 19, 4, request, timeoutMs + 5000);
  const r = new Reader(body);
  r.int32(); // throttle_time_ms
  return r.array(() => ({ name: r.string()!, errorCode: r.int16(), errorMessage: r.string() }));
}

/**
 * ListOffsets v2 for the latest offset of each partition: the high watermark with
 * read_uncommitted, the last stable offset with read_committed. Sent to `address`, which must
 * lead every partition asked for; a partition's error code comes back with it.
 */
export async function rawLatestOffsets(
  address: HostPort,
  topic: string,
  partitions: number[],
  isolationLevel: 'read_uncommitted' | 'read_committed' = 'read_uncommitted',
  timeoutMs = 5000,
): Promise<{ partition: number; errorCode: number; offset: bigint }[]> {
  const latest = Buffer.alloc(8);
  latest.writeBigInt64BE(-1n);
  const request = Buffer.concat([
    int(32, -1), // replica_id: a consumer
    int(8, isolationLevel === 'read_committed' ? 1 : 0),
    array([topic], (name) =>
      Buffer.concat([string(name), array(partitions, (p) => Buffer.concat([int(32, p), latest]))]),
    ),
  ]);
  const body = await rawRequest(address, 2, 2, request, timeoutMs);
  const r = new Reader(body);
  r.int32(); // throttle_time_ms
  return r
    .array(() => {
      r.string(); // name
      return r.array(() => {
        const partition = r.int32();
        const errorCode = r.int16();
        r.int64(); // timestamp
        return { partition, errorCode, offset: r.int64() };
      });
    })
    .flat();
}
