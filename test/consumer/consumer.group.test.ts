import { map, NEVER, timer } from 'rxjs';
import { resolveConsumerConfig, type ConsumerConfig } from '../../src/consumer/config';
import { consumerOnCluster } from '../../src/consumer/consumer';
import type { PartitionStream, RebalanceEvent } from '../../src/consumer/types';
import { ErrorCode } from '../../src/protocol/errors';
import { ScriptedConsumerCluster, subscriptionOf } from '../support/scripted-consumer-cluster';
import { groupTimings, scriptedConsumer } from '../support/scripted-consumer';
import { virtualClock } from '../support/virtual-time';

const setup = (overrides: Partial<ConsumerConfig> = {}, partitions = 2) =>
  scriptedConsumer({ ...groupTimings, ...overrides }, partitions);

describe('consumer group membership in virtual time', () => {
  it('REBALANCE_IN_PROGRESS: heartbeats stop, consumed offsets are committed before the partitions are revoked, then it rejoins', () => {
    const t = setup();
    t.cluster.produce('orders', 0, 'a0', 'a1');
    t.consumer.messages$.subscribe((r) => t.records.push(r));
    t.clock.advanceTo(4000);
    t.cluster.once('Heartbeat', () => ({ errorCode: ErrorCode.REBALANCE_IN_PROGRESS }));
    // Hold the second generation's JoinGroup for 10 s: a rebalance that takes a while.
    t.cluster.once('JoinGroup', (b, c) => {
      const answer = {
        errorCode: 0,
        generationId: ++c.generationId,
        protocolName: 'range',
        leader: b.memberId,
        memberId: b.memberId,
        members: [{ memberId: b.memberId, groupInstanceId: null, metadata: b.protocols[0].metadata }],
      };
      return timer(10000, t.clock).pipe(map(() => answer));
    });
    t.clock.advanceTo(30000);

    const revokeCommit = t.commits.find((c) => c.trigger === 'revoke');
    expect(revokeCommit?.offsets).toEqual([
      { topic: 'orders', partition: 0, offset: 2n },
      { topic: 'orders', partition: 1, offset: 0n },
    ]);
    expect(t.rebalances.map((r) => r.type)).toEqual(['assigned', 'revoked', 'assigned']);
    const commitAt = t.cluster.requests('OffsetCommit').find((r) => r.at > 4000)!.at;
    const rejoinAt = t.cluster.requests('JoinGroup')[2].at;
    expect(commitAt).toBeLessThan(rejoinAt);
    // Silence while rebalancing: no heartbeat between the failed one and the end of the second SyncGroup.
    const failedAt = t.cluster.requests('Heartbeat').find((r) => r.at > 4000)!.at;
    const syncedAt = t.cluster.requests('SyncGroup')[1].at;
    expect(syncedAt - rejoinAt).toBeGreaterThanOrEqual(10000);
    expect(t.cluster.requests('Heartbeat').filter((r) => r.at > failedAt && r.at <= syncedAt)).toEqual([]);
    expect(t.cluster.requests('Heartbeat').filter((r) => r.at > syncedAt).length).toBeGreaterThan(0);
    // The second generation resumes from the committed offsets: nothing repeated.
    expect(t.cluster.requests('JoinGroup')[2].body.memberId).toBe('member-1');
    expect(t.records.map((r) => r.value?.toString())).toEqual(['a0', 'a1']);
  });

  it('session timeout: no successful heartbeat for sessionTimeoutMs marks the coordinator dead', () => {
    const t = setup();
    t.consumer.messages$.subscribe();
    t.clock.advanceTo(100);
    const stableAt = t.cluster.requests('SyncGroup')[0].at + 1;
    t.cluster.on('Heartbeat', () => NEVER);
    t.clock.advanceTo(25000);
    // The heartbeat never answers: exhaustMap keeps it the only one in flight.
    expect(t.cluster.requests('Heartbeat').length).toBe(1);
    expect(t.cluster.coordinatorDeaths).toEqual([stableAt + 10000, stableAt + 20000]);
    expect(t.events.filter((e) => e.type === 'coordinator-dead')).toHaveLength(2);
  });

  it('NOT_COORDINATOR on heartbeat rediscovers the coordinator and keeps the membership', () => {
    const t = setup();
    t.consumer.messages$.subscribe();
    t.clock.advanceTo(100);
    t.cluster.once('Heartbeat', () => ({ errorCode: ErrorCode.NOT_COORDINATOR }));
    t.clock.advanceTo(7000);
    expect(t.cluster.coordinatorDeaths.length).toBe(1);
    expect(t.cluster.requests('JoinGroup')).toHaveLength(2);
    expect(t.cluster.requests('Heartbeat')).toHaveLength(2);
  });

  it('backs off between JoinGroup retries: 100 ms, then 200 ms', () => {
    const t = setup();
    t.cluster.once('JoinGroup', () => ({
      errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE,
      memberId: '',
      members: [],
    }));
    t.cluster.once('JoinGroup', () => ({
      errorCode: ErrorCode.COORDINATOR_LOAD_IN_PROGRESS,
      memberId: '',
      members: [],
    }));
    t.consumer.messages$.subscribe();
    t.clock.advanceTo(1000);
    const at = t.cluster.requests('JoinGroup').map((r) => r.at);
    // Each answer takes 1 ms; then the backoff; MEMBER_ID_REQUIRED is retried at once.
    expect(at).toEqual([0, 1 + 100, 102 + 200, 303]);
    expect(t.cluster.coordinatorDeaths).toEqual([1]);
  });

  it('FENCED_INSTANCE_ID is fatal: messages$ errors with FencedInstanceIdError, without LeaveGroup', () => {
    const t = setup({ groupInstanceId: 'pod-1' });
    let error: Error | undefined;
    t.consumer.messages$.subscribe({ error: (e) => (error = e) });
    t.clock.advanceTo(100);
    expect(t.cluster.requests('JoinGroup')[0].body.groupInstanceId).toBe('pod-1');
    t.cluster.once('Heartbeat', () => ({ errorCode: ErrorCode.FENCED_INSTANCE_ID }));
    t.clock.advanceTo(4000);
    expect(error?.name).toBe('FencedInstanceIdError');
    expect(error?.message).toContain('pod-1');
    expect(t.rebalances.map((r) => r.type)).toEqual(['assigned', 'lost']);
    expect(t.cluster.requests('LeaveGroup')).toEqual([]);
    expect(t.cluster.requests('OffsetCommit')).toEqual([]);
  });

  it('UNKNOWN_MEMBER_ID on heartbeat loses the partitions (no commit) and joins as a new member', () => {
    const t = setup();
    t.consumer.messages$.subscribe();
    t.clock.advanceTo(100);
    t.cluster.once('Heartbeat', () => ({ errorCode: ErrorCode.UNKNOWN_MEMBER_ID }));
    t.clock.advanceTo(3500);
    expect(t.rebalances.map((r) => r.type)).toEqual(['assigned', 'lost', 'assigned']);
    expect(t.cluster.requests('JoinGroup').map((r) => r.body.memberId)).toEqual([
      '',
      'member-1',
      '',
      'member-1',
    ]);
    expect(t.commits).toEqual([]);
  });

  it('close(): commits with trigger close, sends LeaveGroup, completes messages$ and commits$', async () => {
    const t = setup();
    t.cluster.produce('orders', 1, 'b0');
    let completed = false;
    let commitsCompleted = false;
    t.consumer.commits$.subscribe({ complete: () => (commitsCompleted = true) });
    t.consumer.messages$.subscribe({ next: (r) => t.records.push(r), complete: () => (completed = true) });
    t.clock.advanceTo(100);
    const closing = t.consumer.close();
    t.clock.advanceTo(200);
    await closing;
    expect(t.commits).toEqual([
      {
        trigger: 'close',
        offsets: [
          { topic: 'orders', partition: 0, offset: 0n },
          { topic: 'orders', partition: 1, offset: 1n },
        ],
      },
    ]);
    const leave = t.cluster.requests('LeaveGroup');
    expect(leave.map((r) => r.body)).toEqual([
      { groupId: 'g', members: [{ memberId: 'member-1', groupInstanceId: null, reason: 'closed' }] },
    ]);
    expect(leave[0].at).toBeGreaterThan(t.cluster.requests('OffsetCommit')[0].at);
    expect(completed).toBe(true);
    expect(commitsCompleted).toBe(true);
  });

  it('with autoCommit: false, neither a rebalance nor close commits: the application does', async () => {
    const t = setup({ autoCommit: false });
    t.cluster.produce('orders', 0, 'a0', 'a1');
    t.consumer.messages$.subscribe((r) => t.records.push(r));
    t.clock.advanceTo(4000);
    t.cluster.once('Heartbeat', () => ({ errorCode: ErrorCode.REBALANCE_IN_PROGRESS }));
    t.clock.advanceTo(10000);
    expect(t.rebalances.map((r) => r.type)).toEqual(['assigned', 'revoked', 'assigned']);
    const closing = t.consumer.close();
    t.clock.advanceTo(11000);
    await closing;
    // Nothing committed, so the next generation reads the partition again from the start.
    expect(t.records.map((r) => r.value?.toString())).toEqual(['a0', 'a1', 'a0', 'a1']);
    expect(t.cluster.requests('OffsetCommit')).toEqual([]);
    expect(t.commits).toEqual([]);
    expect(t.cluster.requests('LeaveGroup')).toHaveLength(1);
  });

  it('unsubscribing from messages$ commits and leaves', () => {
    const t = setup();
    t.cluster.produce('orders', 0, 'a0');
    const sub = t.consumer.messages$.subscribe();
    t.clock.advanceTo(100);
    sub.unsubscribe();
    t.clock.advanceTo(200);
    expect(t.commits.map((c) => c.trigger)).toEqual(['close']);
    expect(t.cluster.requests('LeaveGroup')).toHaveLength(1);
  });

  it('partitions$: one stream per partition, completed on revoke', () => {
    const t = setup();
    t.cluster.produce('orders', 0, 'a0');
    const streams: PartitionStream[] = [];
    const completed: number[] = [];
    t.consumer.partitions$.subscribe((p) => {
      streams.push(p);
      p.records$.subscribe({ next: (r) => t.records.push(r), complete: () => completed.push(p.partition) });
    });
    t.clock.advanceTo(100);
    expect(streams.map((s) => [s.topic, s.partition])).toEqual([
      ['orders', 0],
      ['orders', 1],
    ]);
    t.cluster.once('Heartbeat', () => ({ errorCode: ErrorCode.REBALANCE_IN_PROGRESS }));
    t.clock.advanceTo(3100);
    expect(completed).toEqual([0, 1]);
    expect(streams).toHaveLength(4);
    expect(t.records.map((r) => r.value?.toString())).toEqual(['a0']);
  });
});

describe('maxPollIntervalMs and backpressure', () => {
  it('with manual acks, a stalled application makes the member leave; an ack brings it back', () => {
    const t = setup({ autoCommit: { intervalMs: 5000, ackMode: 'manual' }, maxPollIntervalMs: 20000 });
    t.cluster.produce('orders', 0, 'a0', 'a1');
    t.consumer.messages$.subscribe((r) => t.records.push(r));
    t.clock.advanceTo(30000);
    expect(t.records).toHaveLength(2);
    const leave = t.events.find((e) => e.type === 'leave');
    expect(leave).toMatchObject({ type: 'leave', reason: expect.stringContaining('maxPollIntervalMs') });
    expect(t.cluster.requests('LeaveGroup')).toHaveLength(1);
    // Nothing acknowledged: the commits so far sent the starting offsets only.
    expect(t.commits.every((c) => c.offsets.every((o) => o.offset === 0n))).toBe(true);
    const joinsBefore = t.cluster.requests('JoinGroup').length;
    t.clock.advanceTo(40000);
    expect(t.cluster.requests('JoinGroup')).toHaveLength(joinsBefore);
    t.records[0].ack();
    t.clock.advanceTo(40100);
    expect(t.cluster.requests('JoinGroup').length).toBeGreaterThan(joinsBefore);
  });

  it('manual acks: commits only up to the first record not yet acknowledged', () => {
    const t = setup({ autoCommit: { intervalMs: 5000, ackMode: 'manual' } });
    t.cluster.produce('orders', 0, 'a0', 'a1', 'a2');
    t.consumer.messages$.subscribe((r) => t.records.push(r));
    t.clock.advanceTo(100);
    t.records[0].ack();
    t.records[2].ack();
    t.clock.advanceTo(5200);
    expect(t.commits[0].offsets.find((o) => o.partition === 0)?.offset).toBe(1n);
    t.records[1].ack();
    t.clock.advanceTo(10200);
    expect(t.commits[1].offsets.find((o) => o.partition === 0)?.offset).toBe(3n);
  });

  it('a slow subscriber fills the partition buffer: fetching stops, heartbeats go on', () => {
    const t = setup({ autoCommit: { intervalMs: 5000, ackMode: 'manual' }, partitionBufferBytes: 400 }, 1);
    for (let i = 0; i < 100; i++) t.cluster.produce('orders', 0, `value-${i}`.padEnd(40, '.'));
    t.consumer.messages$.subscribe((r) => t.records.push(r));
    t.clock.advanceTo(60000);
    // About 400 bytes of records (a bit more: one response may overshoot), then no more fetches.
    expect(t.records.length).toBeGreaterThan(0);
    expect(t.records.length).toBeLessThan(12);
    const fetches = t.cluster.requests('Fetch').length;
    expect(fetches).toBeLessThan(6);
    expect(t.cluster.requests('Heartbeat').length).toBe(19);
    // Acknowledging frees the buffer and fetching resumes, in order.
    for (const r of t.records.splice(0)) r.ack();
    t.clock.advanceTo(60100);
    expect(t.cluster.requests('Fetch').length).toBeGreaterThan(fetches);
    expect(t.records[0].offset).toBeGreaterThan(0n);
  });
});

describe('subscription by topicPattern', () => {
  it('joins with the matching topics and rebalances when a new one appears', () => {
    const clock = virtualClock();
    const counts = new Map([
      ['orders-eu', 1],
      ['payments', 1],
      ['__consumer_offsets', 50],
    ]);
    const cluster = new ScriptedConsumerCluster(clock, counts);
    const consumer = consumerOnCluster(
      resolveConsumerConfig({
        brokers: ['b:9092'],
        groupId: 'g',
        topicPattern: /^orders-|offsets/,
        metadataMaxAgeMs: 10000,
        clock,
      }),
      cluster,
    );
    const rebalances: RebalanceEvent[] = [];
    consumer.rebalances$.subscribe((r) => rebalances.push(r));
    consumer.messages$.subscribe();
    clock.advanceTo(100);
    expect(subscriptionOf(cluster.requests('JoinGroup')[1].body.protocols[0].metadata).topics).toEqual([
      'orders-eu',
    ]);
    counts.set('orders-us', 1);
    clock.advanceTo(11000);
    const joins = cluster.requests('JoinGroup');
    expect(subscriptionOf(joins[joins.length - 1].body.protocols[0].metadata).topics).toEqual([
      'orders-eu',
      'orders-us',
    ]);
    expect(rebalances.map((r) => r.type)).toEqual(['assigned', 'revoked', 'assigned']);
    expect(rebalances[2].partitions).toEqual([
      { topic: 'orders-eu', partition: 0 },
      { topic: 'orders-us', partition: 0 },
    ]);
  });
});
