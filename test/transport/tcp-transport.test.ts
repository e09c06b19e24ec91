import { createServer, type Server, type Socket, connect as netConnect } from 'node:net';
import { firstValueFrom, lastValueFrom, toArray, merge, map } from 'rxjs';
import { startMockCluster, type MockCluster } from '../broker/mock-cluster';
import type { Build } from '../broker/builds';
import { metadataRequest } from '../../src/cluster/metadata-response';
import { isFlexible } from '../../src/protocol/codec';
import type { KafkaRxError } from '../../src/errors';
import { apiSpecs, FindCoordinator, Metadata } from '../../src/protocol/specs';
import { createTcpTransport } from '../../src/transport/tcp-transport';
import type { InstrumentedTransport, TransportEvent } from '../../src/transport/transport';

/** What each librdkafka build's mock broker supports (its ApiVersions answer, intersected with ours). */
const EXPECTED: Record<Build, { metadata: number; findCoordinator: number }> = {
  old: { metadata: 2, findCoordinator: 2 },
  new: { metadata: 12, findCoordinator: 3 },
};

const CLIENT_APIS = [
  'Produce',
  'Fetch',
  'ListOffsets',
  'Metadata',
  'OffsetCommit',
  'OffsetFetch',
  'FindCoordinator',
  'JoinGroup',
  'Heartbeat',
  'LeaveGroup',
  'SyncGroup',
];

const failure = (promise: Promise<unknown>): Promise<KafkaRxError> =>
  promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: KafkaRxError) => e,
  );

describe.each(['old', 'new'] as const)('TCP transport against the %s mock broker', (build) => {
  let mock: MockCluster;
  const transports: InstrumentedTransport[] = [];
  const transport = (options: Parameters<typeof createTcpTransport>[0] = {}) => {
    const t = createTcpTransport({ connectTimeoutMs: 5000, requestTimeoutMs: 5000, ...options });
    transports.push(t);
    return t;
  };

  beforeAll(async () => {
    mock = await startMockCluster({
      build,
      brokers: 2,
      topics: [0, 1, 2, 3, 4].map((i) => ({ name: `t${i}`, partitions: 2 })),
    });
  });
  afterEach(async () => {
    await Promise.all(transports.splice(0).map((t) => t.close()));
  });
  afterAll(async () => {
    await mock?.stop();
  });

  it('negotiates versions with ApiVersions: non-flexible on the old build, flexible on the new', async () => {
    const t = transport();
    const [broker] = mock.brokers;
    const metadata = await firstValueFrom(t.version!(broker, Metadata));
    expect(metadata).toBe(EXPECTED[build].metadata);
    expect(await firstValueFrom(t.version!(broker, FindCoordinator))).toBe(EXPECTED[build].findCoordinator);
    expect(isFlexible(Metadata.request, metadata)).toBe(build === 'new');
  });

  it('speaks every version of Metadata in both ranges (narrowed one at a time with setApiVersion)', async () => {
    const [broker] = mock.brokers;
    const seen: number[] = [];
    try {
      for (let version = Metadata.minVersion; version <= EXPECTED[build].metadata; version++) {
        await mock.setApiVersion(Metadata.apiKey, version, version);
        const t = transport();
        const events: TransportEvent[] = [];
        t.events$.subscribe((e) => events.push(e));
        const body = await firstValueFrom(t.request(broker, Metadata, metadataRequest(['t1'], false)));
        expect(body.brokers.map((b: any) => b.nodeId).sort()).toEqual([1, 2]);
        expect(body.topics).toHaveLength(1);
        expect(body.topics[0]).toMatchObject({ name: 't1', errorCode: 0 });
        expect(body.topics[0].partitions.map((p: any) => p.partitionIndex).sort()).toEqual([0, 1]);
        const request = events.find((e) => e.type === 'request' && e.api === 'Metadata');
        seen.push(request?.type === 'request' ? request.version : -1);
        await t.close();
      }
    } finally {
      await mock.setApiVersion(Metadata.apiKey, 0, EXPECTED[build].metadata);
    }
    expect(seen).toEqual(Array.from({ length: EXPECTED[build].metadata }, (_, i) => i + 1));
  });

  it('speaks every version of FindCoordinator the broker has', async () => {
    const [broker] = mock.brokers;
    try {
      for (let version = 0; version <= EXPECTED[build].findCoordinator; version++) {
        await mock.setApiVersion(FindCoordinator.apiKey, version, version);
        const t = transport();
        const body = await firstValueFrom(t.request(broker, FindCoordinator, { key: 'g', keyType: 0 }));
        expect(body).toMatchObject({ errorCode: 0, host: '127.0.0.1' });
        expect([1, 2]).toContain(body.nodeId);
        await t.close();
      }
    } finally {
      await mock.setApiVersion(FindCoordinator.apiKey, 0, EXPECTED[build].findCoordinator);
    }
  });

  it('fails clearly when the broker has no version of an API in kafka-rx range', async () => {
    const [broker] = mock.brokers;
    // librdkafka's mock speaks Metadata v0 only now; kafka-rx speaks v1+.
    await mock.setApiVersion(Metadata.apiKey, 0, 0);
    try {
      const error = await failure(
        firstValueFrom(transport().request(broker, Metadata, metadataRequest([], false))),
      );
      expect(error.name).toBe('UnsupportedVersionError');
      expect(error.message).toContain(`no common version of Metadata with 127.0.0.1:${broker.port}`);
      expect(error.message).toContain('kafka-rx speaks v1-12, the broker v0-0');
    } finally {
      await mock.setApiVersion(Metadata.apiKey, 0, EXPECTED[build].metadata);
    }
  });

  it('pipelines up to maxInFlightRequests requests on one connection and answers each in order', async () => {
    const [broker] = mock.brokers;
    let connections = 0;
    let counting = false;
    let written = 0;
    let writtenBeforeFirstResponse = -1;
    const t = transport({
      maxInFlightRequests: 3,
      socketFactory: ({ host, port }) => {
        connections++;
        const socket: Socket = netConnect({ host, port });
        const write = socket.write.bind(socket) as (chunk: Buffer) => boolean;
        socket.write = ((chunk: Buffer) => {
          if (counting) written++;
          return write(chunk);
        }) as typeof socket.write;
        socket.prependListener('data', () => {
          if (counting && writtenBeforeFirstResponse < 0) writtenBeforeFirstResponse = written;
        });
        return socket;
      },
    });
    await firstValueFrom(t.version!(broker, Metadata)); // connected and negotiated
    await mock.setRtt(1, 300);
    counting = true;
    try {
      const names = [0, 1, 2, 3, 4].map((i) => `t${i}`);
      const order: string[] = [];
      const answers = await lastValueFrom(
        merge(
          ...names.map((name) =>
            t.request(broker, Metadata, metadataRequest([name], false)).pipe(
              map((body) => {
                order.push(body.topics[0].name!);
                return body.topics[0].name;
              }),
            ),
          ),
        ).pipe(toArray()),
      );
      expect(answers).toEqual(names);
      expect(order).toEqual(names);
      expect(connections).toBe(1);
      // Three of the five requests were on the wire before the first answer came.
      expect(writtenBeforeFirstResponse).toBe(3);
    } finally {
      await mock.setRtt(1, 0);
    }
  });

  it('reconnects to a broker taken down and brought back', async () => {
    const [broker] = mock.brokers;
    const t = transport({ reconnectBackoffMs: 50 });
    const events: string[] = [];
    t.events$.subscribe((e) => e.type !== 'request' && events.push(e.type));
    const ask = () => firstValueFrom(t.request(broker, Metadata, metadataRequest([], false)));
    await ask();
    await mock.brokerDown(1);
    try {
      const error = await failure(ask());
      expect(error.name).toBe('ConnectionError');
      expect(error.retriable).toBe(true);
    } finally {
      await mock.brokerUp(1);
    }
    expect((await ask()).brokers).toHaveLength(2);
    expect(events[0]).toBe('connect');
    expect(events).toContain('disconnect');
    expect(events[events.length - 1]).toBe('connect');
  });

  it('gives a clear error for a refused port and for an unknown host', async () => {
    const refused = await freePort();
    const t = transport({ connectTimeoutMs: 2000 });
    const error = await failure(
      firstValueFrom(t.request({ host: '127.0.0.1', port: refused }, Metadata, metadataRequest([], false))),
    );
    expect(error.name).toBe('ConnectionError');
    expect(error.message).toBe(
      `connection to 127.0.0.1:${refused} was refused (connect ECONNREFUSED 127.0.0.1:${refused})`,
    );

    const unknown = await failure(
      firstValueFrom(t.request({ host: 'no-such-host.invalid', port: 9092 }, Metadata, {})),
    );
    expect(unknown.name).toBe('ConnectionError');
    expect(unknown.message).toMatch(
      /^connection to no-such-host.invalid:9092 (failed: unknown host|failed: the host name could not be resolved|timed out after 2000 ms)/,
    );
  });

  it('times out a connection whose broker never answers ApiVersions, after connectTimeoutMs', async () => {
    // Reads and ignores requests (a socket nobody reads from would never see the client leave).
    const silent = await listen(createServer((socket) => socket.resume()));
    try {
      const t = transport({ connectTimeoutMs: 300 });
      const port = (silent.address() as { port: number }).port;
      const error = await failure(firstValueFrom(t.request({ host: '127.0.0.1', port }, Metadata, {})));
      expect(error.name).toBe('ConnectionError');
      expect(error.message).toBe(`connection to 127.0.0.1:${port} timed out after 300 ms`);
    } finally {
      await close(silent);
    }
  });
});

describe('TCP transport against the old mock broker (librdkafka 2.0.2)', () => {
  let mock: MockCluster;
  beforeAll(async () => {
    mock = await startMockCluster({ build: 'old', brokers: 1, topics: [] });
  });
  afterAll(async () => {
    await mock?.stop();
  });

  it('speaks every consumer and producer API in a non-flexible version', async () => {
    const t = createTcpTransport({ connectTimeoutMs: 5000, requestTimeoutMs: 5000 });
    try {
      const [broker] = mock.brokers;
      const flexible: Record<string, boolean> = {};
      for (const api of apiSpecs.filter((a) => CLIENT_APIS.includes(a.name)))
        flexible[api.name] = isFlexible(api.request, await firstValueFrom(t.version!(broker, api)));
      expect(flexible).toEqual(Object.fromEntries(CLIENT_APIS.map((name) => [name, false])));
    } finally {
      await t.close();
    }
  });
});

function listen(server: Server): Promise<Server> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

async function freePort(): Promise<number> {
  const server = await listen(createServer());
  const { port } = server.address() as { port: number };
  await close(server);
  return port;
}
