import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILDS } from './builds';

/**
 * Checks the captured golden frames are what their names say, so a broken
 * capture is caught here rather than as a puzzling protocol test failure.
 */
const root = join(__dirname, '..', 'fixtures', 'protocol');
const CODEC_ID: Record<string, number> = { none: 0, gzip: 1, snappy: 2, lz4: 3, zstd: 4 };
// First flexible version per API key (Kafka's message definitions).
const FLEXIBLE_FROM: Record<number, number> = {
  0: 9,
  1: 12,
  2: 6,
  3: 9,
  8: 8,
  9: 6,
  10: 3,
  11: 6,
  12: 4,
  13: 4,
  14: 4,
  18: 3,
  68: 0,
  71: 0,
};

interface Entry {
  name: string;
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  label: string | null;
}

/** The first v2 record batch at offset 0: its attributes, found by its fixed layout. */
function firstBatchAttributes(frame: Buffer): number | undefined {
  for (let at = 0; at + 23 <= frame.length; at++) {
    const batchLength = frame.readInt32BE(at + 8);
    if (
      frame.readBigInt64BE(at) === 0n &&
      frame[at + 16] === 2 &&
      batchLength > 49 &&
      at + 12 + batchLength <= frame.length
    ) {
      return frame.readInt16BE(at + 21);
    }
  }
  return undefined;
}

/** Asserts that the `codec`-labelled Produce request and Fetch response each hold a batch compressed with it. */
function expectCodecBatches(
  fixtures: Entry[],
  read: (e: Entry, side: 'request' | 'response') => Buffer,
  codec: string,
): void {
  for (const [api, side] of [
    ['Produce', 'request'],
    ['Fetch', 'response'],
  ] as const) {
    const e = fixtures.find((f) => f.label === codec && f.name.startsWith(`${api}-`));
    expect(e).toBeDefined();
    const attributes = firstBatchAttributes(read(e!, side));
    expect(attributes).toBeDefined();
    expect(attributes! & 0x7).toBe(CODEC_ID[codec]);
  }
}

describe.each(BUILDS)('captured protocol fixtures (%s build)', (build) => {
  const index = JSON.parse(readFileSync(join(root, build, 'index.json'), 'utf8')) as { fixtures: Entry[] };
  const read = (e: Entry, side: 'request' | 'response') =>
    readFileSync(join(root, build, `${e.name}-${side}.bin`));

  it('covers the APIs a consumer and a producer use', () => {
    const names = new Set(index.fixtures.map((e) => e.name.replace(/-v\d+.*/, '')));
    for (const api of [
      'ApiVersions',
      'Metadata',
      'FindCoordinator',
      'JoinGroup',
      'SyncGroup',
      'Heartbeat',
      'LeaveGroup',
    ]) {
      expect(names).toContain(api);
    }
    for (const api of ['OffsetCommit', 'OffsetFetch', 'ListOffsets', 'Fetch', 'Produce'])
      expect(names).toContain(api);
  });

  it.each(index.fixtures.map((e) => [e.name, e] as const))('%s: headers match the name', (_, e) => {
    expect(existsSync(join(root, build, `${e.name}-request.bin`))).toBe(true);
    const request = read(e, 'request');
    const response = read(e, 'response');
    expect([request.readInt16BE(0), request.readInt16BE(2), request.readInt32BE(4)]).toEqual([
      e.apiKey,
      e.apiVersion,
      e.correlationId,
    ]);
    expect(response.readInt32BE(0)).toBe(e.correlationId);
  });

  it('has flexible versions on the new build and none on the old (but the ApiVersions probe)', () => {
    const flexible = index.fixtures
      .filter((e) => e.apiVersion >= (FLEXIBLE_FROM[e.apiKey] ?? Infinity))
      .map((e) => e.name);
    if (build === 'new') {
      for (const api of ['Produce', 'Fetch', 'Metadata', 'ListOffsets', 'OffsetCommit', 'OffsetFetch']) {
        expect(flexible.some((n) => n.startsWith(`${api}-`))).toBe(true);
      }
    } else {
      // librdkafka asks ApiVersions v3 first; an older broker answers in v0 and the client retries.
      expect(flexible).toEqual(['ApiVersions-v3']);
    }
  });

  it.each(Object.keys(CODEC_ID))('holds a %s batch in its Produce request and Fetch response', (codec) =>
    expectCodecBatches(index.fixtures, read, codec),
  );
});

describe('captured protocol fixtures (platformatic: @platformatic/kafka against the new build)', () => {
  const dir = join(root, 'platformatic');
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as {
    clientId: string;
    fixtures: (Entry & { requestOnly?: boolean })[];
  };

  it.each(index.fixtures.map((e) => [e.name, e] as const))('%s: headers match the name', (_, e) => {
    const request = readFileSync(join(dir, `${e.name}-request.bin`));
    expect([request.readInt16BE(0), request.readInt16BE(2), request.readInt32BE(4)]).toEqual([
      e.apiKey,
      e.apiVersion,
      e.correlationId,
    ]);
    // Request header v1+: the client id follows the correlation id.
    expect(request.toString('utf8', 10, 10 + request.readInt16BE(8))).toBe(index.clientId);
    // A bridged exchange keeps only the client's request (README).
    const responseFile = join(dir, `${e.name}-response.bin`);
    expect(existsSync(responseFile)).toBe(!e.requestOnly);
    if (!e.requestOnly) expect(readFileSync(responseFile).readInt32BE(0)).toBe(e.correlationId);
  });

  it('has the flexible classic group versions librdkafka never sends', () => {
    const flexible = index.fixtures
      .filter((e) => e.apiVersion >= (FLEXIBLE_FROM[e.apiKey] ?? Infinity))
      .map((e) => e.name);
    for (const name of [
      'FindCoordinator-v4',
      'JoinGroup-v6',
      'SyncGroup-v4',
      'Heartbeat-v4',
      'LeaveGroup-v4',
    ]) {
      expect(flexible).toContain(name);
    }
    // Heartbeat v4 went to the mock unchanged, so it is kept whole.
    expect(index.fixtures.find((e) => e.name === 'Heartbeat-v4')?.requestOnly).toBeUndefined();
  });
});

describe('captured protocol fixtures (kafka: @platformatic/kafka against Apache Kafka 4.4)', () => {
  const dir = join(root, 'kafka');
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as {
    broker: string;
    clientId: string;
    fixtures: Entry[];
  };
  const read = (e: Entry, side: 'request' | 'response') => readFileSync(join(dir, `${e.name}-${side}.bin`));

  it('comes from Apache Kafka 4.4', () => {
    expect(index.broker).toBe('Apache Kafka 4.4.0');
  });

  it.each(index.fixtures.map((e) => [e.name, e] as const))('%s: headers match the name', (_, e) => {
    const request = read(e, 'request');
    expect([request.readInt16BE(0), request.readInt16BE(2), request.readInt32BE(4)]).toEqual([
      e.apiKey,
      e.apiVersion,
      e.correlationId,
    ]);
    expect(request.toString('utf8', 10, 10 + request.readInt16BE(8))).toBe(index.clientId);
    expect(read(e, 'response').readInt32BE(0)).toBe(e.correlationId);
  });

  it('has the flexible version of every consumer API, with responses', () => {
    const flexible = index.fixtures
      .filter((e) => e.apiVersion >= (FLEXIBLE_FROM[e.apiKey] ?? Infinity))
      .map((e) => e.name.replace(/-v\d+.*/, ''));
    for (const api of [
      'FindCoordinator',
      'JoinGroup',
      'SyncGroup',
      'Heartbeat',
      'LeaveGroup',
      'OffsetCommit',
      'OffsetFetch',
      'ListOffsets',
      'Metadata',
      'Fetch',
      'Produce',
    ]) {
      expect(flexible).toContain(api);
    }
  });

  it.each(['none', 'gzip', 'snappy', 'lz4'])(
    'holds a %s batch in its Produce request and Fetch response',
    (codec) => expectCodecBatches(index.fixtures, read, codec),
  );
});
