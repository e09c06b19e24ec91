import { BUILDS } from './builds';
import { joinGroup, keyedRecords, produce, type GroupMember } from './kcat';
import { startMockCluster, type MockCluster } from './mock-cluster';

const HEARTBEAT = 12;
const CONSUMER_GROUP_HEARTBEAT = 68;
// kcat prints `assigned: ...` for eager and `incremental assignment` for KIP-848 members.
const assigned = (m: GroupMember) => /assigned: |incremental assignment/.test(m.stderr());
// The mock holds a rebalance for a new member up to the session timeout minus 1 s.
const FAST_GROUP = ['-X', 'session.timeout.ms=3000', '-X', 'heartbeat.interval.ms=500'];

describe.each(BUILDS)('consumer groups on the %s mock broker', (build) => {
  let cluster: MockCluster;
  const members: GroupMember[] = [];

  beforeEach(async () => {
    cluster = await startMockCluster({ build, brokers: 2, topics: [{ name: 'events', partitions: 4 }] });
  });
  afterEach(async () => {
    await Promise.all(members.splice(0).map((m) => m.stop()));
    await cluster?.stop();
  });

  function member(group: string, extraArgs: string[] = []): GroupMember {
    const m = joinGroup({ bootstrap: cluster.bootstrap, build, group, topics: ['events'], extraArgs });
    members.push(m);
    return m;
  }

  /** The `apiKey` requests the mock receives in the next `ms` milliseconds. */
  async function requestsWithin(ms: number, apiKey: number) {
    await cluster.startTracking();
    await new Promise((resolve) => setTimeout(resolve, ms));
    return (await cluster.requests()).filter((r) => r.apiKey === apiKey);
  }

  it('lets two kcat members share the partitions and read every record', async () => {
    await produce({ bootstrap: cluster.bootstrap, build, topic: 'events', records: keyedRecords(40) });
    const a = member('sharing', FAST_GROUP);
    await a.waitFor((m) => m.records.length === 40);
    const b = member('sharing', FAST_GROUP);
    // The second join rebalances both; each ends with some of the partitions.
    await b.waitFor(assigned);
    await a.waitFor((m) => (m.stderr().match(/assigned: /g) ?? []).length >= 2);
    expect(new Set(a.records.map((r) => r.key))).toEqual(new Set(keyedRecords(40).map((r) => r.key)));
  });

  if (build === 'new') {
    it('counts the heartbeats of a classic group member', async () => {
      const m = member('beating', ['-X', 'heartbeat.interval.ms=300']);
      await m.waitFor(assigned);
      const beats = await requestsWithin(3000, HEARTBEAT);
      // librdkafka checks its heartbeat timer a few times a second, not exactly every 300 ms.
      expect(beats.length).toBeGreaterThanOrEqual(4);
      expect(beats.length).toBeLessThanOrEqual(11);
      const coordinator = beats[0].broker;
      expect(beats.every((r) => r.broker === coordinator)).toBe(true);
    });

    it('holds the first join for the initial rebalance delay', async () => {
      await cluster.setGroupInitialRebalanceDelay(2000);
      const start = process.hrtime.bigint();
      await member('delayed').waitFor(assigned);
      expect(Number(process.hrtime.bigint() - start) / 1e6).toBeGreaterThanOrEqual(1900);
    });

    it('tells KIP-848 members the heartbeat interval it is set to', async () => {
      await cluster.setGroupConsumerHeartbeatInterval(200);
      const m = member('next-gen', ['-X', 'group.protocol=consumer']);
      await m.waitFor(assigned);
      const beats = await requestsWithin(1500, CONSUMER_GROUP_HEARTBEAT);
      expect(beats.length).toBeGreaterThanOrEqual(4);
      expect(beats.length).toBeLessThanOrEqual(12);
    });
  }
});
