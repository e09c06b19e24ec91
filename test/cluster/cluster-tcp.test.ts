import { createServer } from 'node:net';
import { firstValueFrom } from 'rxjs';
import { startMockCluster, type MockCluster } from '../broker/mock-cluster';
import { createCluster } from '../../src/cluster/create-cluster';
import type { WatchableCluster } from '../../src/cluster/cluster';
import type { KafkaRxError } from '../../src/errors';
import { Heartbeat, ListOffsets } from '../../src/protocol/specs';
import { createTcpTransport } from '../../src/transport/tcp-transport';
import type { BrokerAddress } from '../../src/transport/transport';

describe.each(['old', 'new'] as const)('cluster over TCP against the %s mock broker', (build) => {
  let mock: MockCluster;
  const clusters: WatchableCluster[] = [];
  const cluster = (brokers?: string[], retries = 5) => {
    const c = createCluster({
      brokers: brokers ?? mock.bootstrap.split(','),
      transport: createTcpTransport({
        connectTimeoutMs: 2000,
        requestTimeoutMs: 5000,
        reconnectBackoffMs: 20,
      }),
      retryBackoffMs: 20,
      retries,
    });
    clusters.push(c);
    return c;
  };

  beforeAll(async () => {
    mock = await startMockCluster({
      build,
      brokers: 3,
      topics: [{ name: 'orders', partitions: 3, replication: 3 }],
    });
  });
  afterEach(async () => {
    await Promise.all(clusters.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    await mock?.stop();
  });

  const listOffsets = (partition: number) => ({
    replicaId: -1,
    isolationLevel: 0,
    topics: [{ name: 'orders', partitions: [{ partitionIndex: partition, timestamp: -1n }] }],
  });

  it('bootstraps and lists every broker and partition', async () => {
    const md = await firstValueFrom(cluster().metadata(['orders']));
    expect([...md.brokers.keys()].sort()).toEqual([1, 2, 3]);
    expect(md.topics.get('orders')?.partitions.map((p) => p.partition)).toEqual([0, 1, 2]);
  });

  it('follows a leader moved by the broker: the old leader says NOT_LEADER_OR_FOLLOWER, the cache is refreshed', async () => {
    const c = cluster();
    await mock.setLeader('orders', 0, 1);
    const first = await firstValueFrom(c.leaderFor('orders', 0));
    expect(first.nodeId).toBe(1);
    await mock.setLeader('orders', 0, 2);
    const answer = await firstValueFrom(c.request(first, ListOffsets, listOffsets(0)));
    expect(answer.topics[0].partitions[0].errorCode).toBe(6); // NOT_LEADER_OR_FOLLOWER
    const moved: BrokerAddress = await firstValueFrom(c.leaderFor('orders', 0));
    expect(moved.nodeId).toBe(2);
    const fromNewLeader = await firstValueFrom(c.request(moved, ListOffsets, listOffsets(0)));
    expect(fromNewLeader.topics[0].partitions[0].errorCode).toBe(0);
  });

  it('follows a coordinator move: the old one says NOT_COORDINATOR, coordinatorDead finds the new one', async () => {
    const c = cluster();
    await mock.setCoordinator('billing', 3);
    const first = await firstValueFrom(c.coordinator('billing'));
    expect(first.nodeId).toBe(3);
    await mock.setCoordinator('billing', 1);
    const heartbeat = await firstValueFrom(
      c.request(first, Heartbeat, { groupId: 'billing', generationId: 1, memberId: 'm' }),
    );
    expect(heartbeat.errorCode).toBe(16); // NOT_COORDINATOR
    c.coordinatorDead('billing');
    expect((await firstValueFrom(c.coordinator('billing'))).nodeId).toBe(1);
  });

  it('reaches the cluster through another broker while one is down, and that one again once it is back', async () => {
    const c = cluster();
    await firstValueFrom(c.metadata(['orders']));
    await mock.brokerDown(1);
    try {
      const md = await firstValueFrom(c.refreshMetadata(['orders']));
      expect(md.brokers.size).toBeGreaterThan(0);
    } finally {
      await mock.brokerUp(1);
    }
    const [one] = mock.brokers;
    const again = await firstValueFrom(
      c.request({ host: one.host, port: one.port, nodeId: 1 }, ListOffsets, listOffsets(1)),
    );
    expect(again.topics[0].name).toBe('orders');
  });

  it('fails with a BootstrapError naming an unknown host and a refused port', async () => {
    const refused = `127.0.0.1:${await freePort()}`;
    const error: KafkaRxError = await firstValueFrom(
      cluster(['no-such-host.invalid:9092', refused], 1).metadata(['orders']),
    ).then(
      () => {
        throw new Error('expected a failure');
      },
      (e) => e,
    );
    expect(error.name).toBe('BootstrapError');
    expect(error.message).toContain('no-such-host.invalid:9092: connection to no-such-host.invalid:9092 ');
    expect(error.message).toContain(`${refused}: connection to ${refused} was refused`);
  });
});

/** A port nothing listens on (just released by the kernel). */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
