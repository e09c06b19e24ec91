import type { ConsumerConfig } from '../../src/consumer/config';
import type { ConsumerRecord } from '../../src/consumer/types';
import { subscriptionOf } from '../support/scripted-consumer-cluster';
import { groupTimings, scriptedConsumer } from '../support/scripted-consumer';

const setup = (overrides: Partial<ConsumerConfig> = {}, partitions = 2) =>
  scriptedConsumer({ ...groupTimings, ...overrides }, partitions);

const values = (rs: ConsumerRecord[], partition: number) =>
  rs.filter((r) => r.partition === partition).map((r) => r.value?.toString());

describe('consumer over a scripted broker, in virtual time', () => {
  it('joins (second JoinGroup with the id from MEMBER_ID_REQUIRED), syncs, and delivers every record in order per partition', () => {
    const t = setup();
    t.cluster.produce('orders', 0, 'a0', 'a1', 'a2', 'a3', 'a4');
    t.cluster.produce('orders', 1, 'b0', 'b1');
    t.consumer.messages$.subscribe((r) => t.records.push(r));
    t.clock.advanceTo(100);

    const joins = t.cluster.requests('JoinGroup');
    expect(joins.map((j) => j.body.memberId)).toEqual(['', 'member-1']);
    expect(joins[1].body).toMatchObject({ groupId: 'g', sessionTimeoutMs: 10000, protocolType: 'consumer' });
    expect(subscriptionOf(joins[1].body.protocols[0].metadata).topics).toEqual(['orders']);
    expect(joins[1].body.protocols.map((p: { name: string }) => p.name)).toEqual(['range']);
    expect(t.rebalances).toEqual([
      {
        type: 'assigned',
        partitions: [
          { topic: 'orders', partition: 0 },
          { topic: 'orders', partition: 1 },
        ],
      },
    ]);
    expect(values(t.records, 0)).toEqual(['a0', 'a1', 'a2', 'a3', 'a4']);
    expect(values(t.records, 1)).toEqual(['b0', 'b1']);
    expect(t.records.filter((r) => r.partition === 0).map((r) => r.offset)).toEqual([0n, 1n, 2n, 3n, 4n]);
  });

  it('heartbeats every heartbeatIntervalMs while stable, whatever the subscriber does', () => {
    const t = setup();
    t.consumer.messages$.subscribe();
    t.clock.advanceTo(20000);
    const times = t.cluster.requests('Heartbeat').map((r) => r.at);
    const stableAt = t.cluster.requests('SyncGroup')[0].at + 1;
    expect(times).toEqual([1, 2, 3, 4, 5, 6].map((n) => stableAt + n * 3000).filter((x) => x <= 20000));
    expect(t.cluster.requests('Heartbeat')[0].body).toMatchObject({
      groupId: 'g',
      generationId: 1,
      memberId: 'member-1',
    });
  });

  it('auto-commits what was delivered every autoCommit.intervalMs, in order, and reports each on commits$', () => {
    const t = setup();
    t.cluster.produce('orders', 0, 'a0', 'a1', 'a2');
    t.consumer.messages$.subscribe((r) => t.records.push(r));
    t.clock.advanceTo(11000);
    expect(t.commits.map((c) => c.trigger)).toEqual(['auto', 'auto']);
    expect(t.commits[0].offsets).toEqual([
      { topic: 'orders', partition: 0, offset: 3n },
      { topic: 'orders', partition: 1, offset: 0n },
    ]);
    const stableAt = t.cluster.requests('SyncGroup')[0].at + 1;
    expect(t.cluster.requests('OffsetCommit').map((r) => r.at)).toEqual([stableAt + 5000, stableAt + 10000]);
    expect(t.cluster.committed.get('orders/0')).toBe(3n);
  });
});
