import { BUILDS } from './builds';
import { consume, keyedRecords, metadata, produce } from './kcat';
import { startMockCluster, type MockCluster } from './mock-cluster';
import { proxyCluster, type ProxiedCluster } from './proxied-cluster';

describe.each(BUILDS)('recording proxies in front of the %s mock cluster', (build) => {
  let cluster: MockCluster;
  let proxied: ProxiedCluster;

  beforeEach(async () => {
    cluster = await startMockCluster({ build, brokers: 3, topics: [{ name: 'spread', partitions: 3 }] });
    proxied = await proxyCluster(cluster);
  });
  afterEach(async () => {
    await proxied?.close();
    await cluster?.stop();
  });

  it('advertises the proxies instead of the brokers, so all traffic is recorded', async () => {
    const md = await metadata({ bootstrap: proxied.bootstrap, build });
    expect(md.brokers.map((b) => b.name).sort()).toEqual(
      proxied.proxies.map((p) => `127.0.0.1:${p.port}`).sort(),
    );

    for (const partition of [0, 1, 2]) {
      await cluster.setLeader('spread', partition, partition + 1);
      await produce({
        bootstrap: proxied.bootstrap,
        build,
        topic: 'spread',
        partition,
        records: keyedRecords(10, `p${partition}-`),
      });
    }
    expect(await consume({ bootstrap: proxied.bootstrap, build, topic: 'spread' })).toHaveLength(30);
    // Each partition has its own leader, so every broker saw Produce (0) and Fetch (1).
    for (const proxy of proxied.proxies) {
      const keys = new Set(proxy.exchanges.map((e) => e.apiKey));
      expect(keys).toContain(0);
      expect(keys).toContain(1);
    }
  });

  it('records the broker original bytes and pairs them by correlation id', async () => {
    await metadata({ bootstrap: proxied.bootstrap, build });
    const md = proxied.exchanges().find((e) => e.apiKey === 3)!;
    expect(md.response.readInt32BE(0)).toBe(md.request.readInt32BE(4));
    const brokerPort = Buffer.alloc(4);
    brokerPort.writeInt32BE(cluster.brokers[0].port);
    expect(md.response.includes(brokerPort)).toBe(true);
  });
});
