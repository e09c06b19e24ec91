import { createFakeCluster, type FakeCluster } from '../../src/testing';
import { BUILDS } from '../broker/builds';
import { CODECS, consume, joinGroup, keyedRecords, metadata, produce, runKcat } from '../broker/kcat';

// kcat (librdkafka 2.12 and Debian's 2.0.2) is the outside client: what it produces must be in
// the fake's log, what the fake serves must decode in kcat, and kcat -G must get through a
// whole group protocol run against the fake coordinator.
describe.each(BUILDS)('fake cluster over TCP, checked by kcat on librdkafka %s', (build) => {
  let cluster: FakeCluster;
  let bootstrap: string;

  beforeEach(async () => {
    cluster = createFakeCluster({ brokers: 3, topics: { orders: 3, single: 1 } });
    bootstrap = (await cluster.listen()).brokers.join(',');
  });
  afterEach(() => cluster.close());

  it('advertises the three brokers and the partition leaders in Metadata', async () => {
    const md = await metadata({ bootstrap, build });
    expect(md.brokers.map((b) => b.id).sort()).toEqual([0, 1, 2]);
    for (const b of md.brokers) expect(b.name).toMatch(/^127\.0\.0\.1:\d+$/);
    const orders = md.topics.find((t) => t.topic === 'orders');
    expect(orders?.partitions.map((p) => [p.partition, p.leader])).toEqual([
      [0, 0],
      [1, 1],
      [2, 2],
    ]);
  });

  it.each(CODECS)('stores what kcat produces with codec %s, and serves it back', async (codec) => {
    const records = keyedRecords(20, `${codec}-`);
    await produce({ bootstrap, build, topic: 'single', records, codec, headers: [['h', 'v']] });
    const stored = cluster.records('single', 0);
    expect(stored.map((r) => [r.key?.toString(), r.value?.toString()])).toEqual(
      records.map((r) => [r.key, r.value]),
    );
    expect(stored.map((r) => r.offset)).toEqual(records.map((_, i) => BigInt(i)));
    expect(stored[0].headers.map(([k, v]) => [k, v?.toString()])).toEqual([['h', 'v']]);
    const consumed = await consume({ bootstrap, build, topic: 'single' });
    expect(consumed.map((r) => [r.offset, r.key, r.value])).toEqual(
      records.map((r, i) => [i, r.key, r.value]),
    );
  });

  it('serves records appended by the test, over several partitions', async () => {
    cluster.append('orders', 0, [{ key: 'a', value: 'A', timestamp: 1700000000000 }]);
    cluster.append('orders', 2, [
      { key: 'b', value: 'B', timestamp: 1700000000001 },
      { key: 'c', value: null, timestamp: 1700000000002 },
    ]);
    const consumed = await consume({ bootstrap, build, topic: 'orders' });
    const seen = consumed.map((r) => [r.partition, r.offset, r.key, r.value, r.timestamp]).sort();
    expect(seen).toEqual([
      [0, 0, 'a', 'A', 1700000000000],
      [2, 0, 'b', 'B', 1700000000001],
      [2, 1, 'c', null, 1700000000002],
    ]);
  });

  it('answers kcat -Q (ListOffsets by timestamp)', async () => {
    cluster.append('single', 0, [
      { value: 'x', timestamp: 1000 },
      { value: 'y', timestamp: 2000 },
      { value: 'z', timestamp: 3000 },
    ]);
    const run = await runKcat(['-Q', '-t', 'single:0:1500'], { bootstrap, build });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/single \[0\]\s+offset 1/);
  });

  it('runs kcat -G through JoinGroup, SyncGroup, Heartbeat, OffsetCommit and LeaveGroup', async () => {
    await produce({ bootstrap, build, topic: 'orders', records: keyedRecords(30) });
    const member = joinGroup({
      bootstrap,
      build,
      group: 'audit',
      topics: ['orders'],
      extraArgs: ['-X', 'auto.commit.interval.ms=100'],
    });
    try {
      await member.waitFor((m) => m.records.length >= 30);
      expect(member.records.map((r) => r.value).sort()).toEqual(
        keyedRecords(30)
          .map((r) => r.value)
          .sort(),
      );
      const group = cluster.groups.describe('audit');
      expect(group?.state).toBe('Stable');
      expect(group?.protocolType).toBe('consumer');
      expect(group?.members).toHaveLength(1);
    } finally {
      await member.stop();
    }
    // kcat commits on close and leaves: every partition's offset is its end.
    const committed = cluster.committedOffsets('audit').map((c) => [c.topic, c.partition, c.offset]);
    const ends = [0, 1, 2].map((p) => ['orders', p, cluster.offsets('orders', p).highWatermark]);
    expect(committed).toEqual(ends);
    expect(cluster.groups.describe('audit')?.state).toBe('Empty');
  });
});
