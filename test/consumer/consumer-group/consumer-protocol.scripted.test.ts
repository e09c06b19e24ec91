import { map, timer, type Subscription } from 'rxjs';
import { resolveConsumerConfig, type ConsumerConfig } from '../../../src/consumer/config';
import { consumerOnCluster } from '../../../src/consumer/consumer';
import type { CommitResult, ConsumerRecord, RebalanceEvent } from '../../../src/consumer/types';
import { ErrorCode } from '../../../src/protocol/errors';
import type { Message } from '../../../src/protocol/spec';
import { ScriptedConsumerCluster } from '../../support/scripted-consumer-cluster';
import { virtualClock } from '../../support/virtual-time';

const ORDERS_ID = '6a7b1c2d-0000-4000-8000-00000000abcd';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A ConsumerGroupHeartbeat answer. */
function answer(memberEpoch: number, partitions: number[] | null, heartbeatIntervalMs = 1000): Message {
  return {
    throttleTimeMs: 0,
    errorCode: 0,
    errorMessage: null,
    memberId: null,
    memberEpoch,
    heartbeatIntervalMs,
    assignment: partitions === null ? null : { topicPartitions: [{ topicId: ORDERS_ID, partitions }] },
  };
}

function failure(errorCode: number, errorMessage: string | null = null): Message {
  return {
    throttleTimeMs: 0,
    errorCode,
    errorMessage,
    memberId: null,
    memberEpoch: -1,
    heartbeatIntervalMs: 0,
    assignment: null,
  };
}

/**
 * A consumer under the consumer group protocol against the scripted cluster: by default every
 * heartbeat is answered with the member's own epoch (1 when joining) and no new assignment.
 */
function setup(options: Partial<ConsumerConfig> = {}) {
  const clock = virtualClock();
  const cluster = new ScriptedConsumerCluster(clock, new Map([['orders', 3]]));
  cluster.topicIds.set('orders', ORDERS_ID);
  cluster.on('ConsumerGroupHeartbeat', (b) => answer(b.memberEpoch > 0 ? b.memberEpoch : 1, null));
  const consumer = consumerOnCluster(
    resolveConsumerConfig({
      brokers: ['broker-1:9092'],
      groupId: 'g',
      topics: ['orders'],
      groupProtocol: 'consumer',
      groupRemoteAssignor: 'uniform',
      fromBeginning: true,
      autoCommit: { intervalMs: 60000 },
      clock,
      ...options,
    }),
    cluster,
  );
  const rebalances: Array<RebalanceEvent & { at: number }> = [];
  const commits: CommitResult[] = [];
  const records: ConsumerRecord[] = [];
  consumer.rebalances$.subscribe((r) => rebalances.push({ ...r, at: clock.now() }));
  consumer.commits$.subscribe((c) => commits.push(c));
  let error: unknown = null;
  let subscription: Subscription | null = null;
  const start = () => {
    subscription = consumer.messages$.subscribe({
      next: (r) => records.push(r),
      error: (e: unknown) => (error = e),
    });
  };
  const heartbeats = () => cluster.requests('ConsumerGroupHeartbeat');
  return {
    clock,
    cluster,
    consumer,
    rebalances,
    commits,
    records,
    start,
    heartbeats,
    error: () => error,
    subscription: () => subscription,
  };
}

const orders = (...partitions: number[]) => partitions.map((partition) => ({ topic: 'orders', partition }));

describe("groupProtocol: 'consumer' (scripted coordinator, virtual time)", () => {
  it('joins with epoch 0 and a UUID member id, takes the assignment, acknowledges it at once, then heartbeats at the broker interval', () => {
    const t = setup();
    t.cluster.once('ConsumerGroupHeartbeat', () => answer(1, [1, 0], 1000));
    t.start();
    t.clock.advanceTo(2500);
    const hb = t.heartbeats();
    expect(hb[0].body).toMatchObject({
      groupId: 'g',
      memberEpoch: 0,
      instanceId: null,
      rebalanceTimeoutMs: 300000,
      subscribedTopicNames: ['orders'],
      // "" is no regex to Kafka; librdkafka's mock cluster needs names and regex both non-null.
      subscribedTopicRegex: '',
      serverAssignor: 'uniform',
      topicPartitions: [],
    });
    expect(hb[0].body.memberId).toMatch(UUID);
    expect(hb.every((h) => h.body.memberId === hb[0].body.memberId)).toBe(true);
    expect(t.rebalances).toEqual([{ type: 'assigned', partitions: orders(0, 1), at: expect.any(Number) }]);
    // The acknowledgement follows the answer at once; then one heartbeat per second.
    expect(hb.map((h) => [h.at, h.body.memberEpoch])).toEqual([
      [0, 0],
      [1, 1],
      [1001, 1],
      [2001, 1],
    ]);
    expect(hb[1].body.topicPartitions).toEqual([{ topicId: ORDERS_ID, partitions: [0, 1] }]);
    expect(t.cluster.requests('JoinGroup')).toEqual([]);
  });

  it('revokes a partition the broker takes away: halts it, commits it with the member epoch, revokes it, then acknowledges', () => {
    const t = setup();
    t.cluster.produce('orders', 2, 'a', 'b');
    t.cluster.once('ConsumerGroupHeartbeat', () => answer(3, [0, 1, 2]));
    t.start();
    t.clock.advanceTo(500);
    expect(t.records.map((r) => `${r.partition}:${r.offset}`)).toEqual(['2:0', '2:1']);
    // The heartbeat at 1001 hears that partition 2 moves (the epoch stays until it is revoked).
    t.cluster.once('ConsumerGroupHeartbeat', () => answer(3, [0, 1]));
    t.clock.advanceTo(1500);
    const commit = t.cluster.requests('OffsetCommit');
    expect(commit.map((c) => [c.at, c.body.generationIdOrMemberEpoch, c.body.memberId])).toEqual([
      [1002, 3, t.heartbeats()[0].body.memberId],
    ]);
    expect(commit[0].body.topics).toEqual([
      expect.objectContaining({
        name: 'orders',
        partitions: [expect.objectContaining({ partitionIndex: 2, committedOffset: 2n })],
      }),
    ]);
    expect(t.commits).toEqual([
      { trigger: 'revoke', offsets: [{ topic: 'orders', partition: 2, offset: 2n }] },
    ]);
    const revoked = t.rebalances.find((r) => r.type === 'revoked')!;
    expect(revoked).toEqual({ type: 'revoked', partitions: orders(2), at: 1003 });
    // Acknowledged at once, without partition 2.
    const ack = t.heartbeats().find((h) => h.at >= 1003)!;
    expect(ack.at).toBe(1003);
    expect(ack.body.topicPartitions).toEqual([{ topicId: ORDERS_ID, partitions: [0, 1] }]);
  });

  it('acknowledges as soon as a heartbeat still in flight when the reconciliation ended is answered', () => {
    const t = setup();
    t.cluster.produce('orders', 2, 'a');
    t.cluster.once('ConsumerGroupHeartbeat', () => answer(3, [0, 1, 2]));
    t.start();
    t.clock.advanceTo(500);
    // Partition 2 moves at 1001; its commit takes until ~2101, while the heartbeat of 2002 is
    // answered only at ~2202.
    t.cluster.once('ConsumerGroupHeartbeat', () => answer(3, [0, 1]));
    t.cluster.once('OffsetCommit', (b) =>
      timer(1100, t.clock).pipe(
        map(() => ({
          topics: (b.topics as Message[]).map((topic) => ({
            name: topic.name,
            partitions: (topic.partitions as Message[]).map((p) => ({
              partitionIndex: p.partitionIndex,
              errorCode: 0,
            })),
          })),
        })),
      ),
    );
    t.cluster.once('ConsumerGroupHeartbeat', () => timer(200, t.clock).pipe(map(() => answer(3, null))));
    t.clock.advanceTo(2500);
    const revoked = t.rebalances.find((r) => r.type === 'revoked')!;
    expect(revoked.at).toBeGreaterThan(2002);
    const sent = t.heartbeats().map((h) => [h.at, h.body.topicPartitions?.[0]?.partitions]);
    expect(sent.filter(([at]) => (at as number) > 1001 && (at as number) <= 2300)).toEqual([
      [2002, [0, 1, 2]],
      [2203, [0, 1]],
    ]);
  });

  it('takes partitions added later without giving any up, and acknowledges them', () => {
    const t = setup();
    t.cluster.once('ConsumerGroupHeartbeat', () => answer(1, [0]));
    t.start();
    t.clock.advanceTo(500);
    t.cluster.once('ConsumerGroupHeartbeat', () => answer(2, [0, 2]));
    t.clock.advanceTo(1500);
    expect(t.rebalances.map((r) => [r.type, r.partitions])).toEqual([
      ['assigned', orders(0)],
      ['assigned', orders(2)],
    ]);
    const ack = t.heartbeats().find((h) => h.at > 1001)!;
    expect([ack.at, ack.body.memberEpoch, ack.body.topicPartitions]).toEqual([
      1002,
      2,
      [{ topicId: ORDERS_ID, partitions: [0, 2] }],
    ]);
  });

  it('on FENCED_MEMBER_EPOCH reports its partitions lost (no commit) and joins again with epoch 0 and the same member id', () => {
    const t = setup();
    t.cluster.produce('orders', 0, 'a');
    t.cluster.once('ConsumerGroupHeartbeat', () => answer(4, [0]));
    t.start();
    t.clock.advanceTo(500);
    t.cluster.once('ConsumerGroupHeartbeat', () => failure(ErrorCode.FENCED_MEMBER_EPOCH));
    t.cluster.once('ConsumerGroupHeartbeat', () => answer(5, [0]));
    t.clock.advanceTo(1500);
    expect(t.rebalances.map((r) => [r.type, r.partitions])).toEqual([
      ['assigned', orders(0)],
      ['lost', orders(0)],
      ['assigned', orders(0)],
    ]);
    expect(t.cluster.requests('OffsetCommit')).toEqual([]);
    const rejoin = t.heartbeats().find((h) => h.at > 1001)!;
    expect([rejoin.body.memberEpoch, rejoin.body.memberId]).toEqual([0, t.heartbeats()[0].body.memberId]);
  });

  it('fails messages$ with a clear error on UNRELEASED_INSTANCE_ID', () => {
    const t = setup({ groupInstanceId: 'orders-1' });
    t.cluster.once('ConsumerGroupHeartbeat', () =>
      failure(ErrorCode.UNRELEASED_INSTANCE_ID, 'instance orders-1 is in use'),
    );
    t.start();
    t.clock.advanceTo(100);
    expect(t.heartbeats()[0].body.instanceId).toBe('orders-1');
    expect(t.error()).toMatchObject({ name: 'GroupMembershipError', code: ErrorCode.UNRELEASED_INSTANCE_ID });
    expect((t.error() as Error).message).toMatch(
      /UNRELEASED_INSTANCE_ID: instance orders-1 is in use; .*groupInstanceId/,
    );
  });

  it.each([
    ['a dynamic member', undefined, -1],
    ['a static member', 'orders-1', -2],
  ])('close commits, revokes and leaves; %s with epoch %d', async (_, groupInstanceId, epoch) => {
    const t = setup(groupInstanceId === undefined ? {} : { groupInstanceId });
    t.cluster.produce('orders', 1, 'a');
    t.cluster.once('ConsumerGroupHeartbeat', () => answer(2, [1]));
    t.start();
    t.clock.advanceTo(500);
    const closed = t.consumer.close();
    t.clock.advanceTo(600);
    await closed;
    const leave = t.heartbeats().at(-1)!;
    expect(leave.body).toMatchObject({
      memberEpoch: epoch,
      memberId: t.heartbeats()[0].body.memberId,
      topicPartitions: null,
    });
    const commit = t.cluster.requests('OffsetCommit');
    expect(commit.map((c) => c.body.generationIdOrMemberEpoch)).toEqual([2]);
    expect(commit[0].at).toBeLessThan(leave.at);
    expect(t.commits.map((c) => c.trigger)).toEqual(['close']);
  });

  it('sends a commit again with the new member epoch after STALE_MEMBER_EPOCH', async () => {
    const t = setup();
    t.cluster.once('ConsumerGroupHeartbeat', () => answer(1, [0]));
    t.start();
    t.clock.advanceTo(990);
    // The heartbeat at 1001 bumps the epoch to 2 while this commit, sent with epoch 1, waits for its answer.
    t.cluster.once('ConsumerGroupHeartbeat', () => answer(2, null));
    t.cluster.once('OffsetCommit', (b) => ({
      topics: (b.topics as Message[]).map((topic) => ({
        name: topic.name,
        partitions: (topic.partitions as Message[]).map((p) => ({
          partitionIndex: p.partitionIndex,
          errorCode: ErrorCode.STALE_MEMBER_EPOCH,
        })),
      })),
    }));
    t.cluster.latencyMs = 20;
    const result = t.consumer.commit([{ topic: 'orders', partition: 0, offset: 5n }]);
    t.clock.advanceTo(1400);
    expect(t.cluster.requests('OffsetCommit').map((c) => c.body.generationIdOrMemberEpoch)).toEqual([1, 2]);
    await expect(result).resolves.toEqual({
      trigger: 'manual',
      offsets: [{ topic: 'orders', partition: 0, offset: 5n }],
    });
  });

  it('names the member and its epoch in OffsetFetch (v9)', () => {
    const t = setup();
    t.cluster.offsetFetchVersion = 9;
    t.cluster.on('OffsetFetch', (b) => ({
      groups: (b.groups as Message[]).map((g) => ({
        groupId: g.groupId,
        errorCode: 0,
        topics: (g.topics as Message[]).map((topic) => ({
          name: topic.name,
          partitions: (topic.partitionIndexes as number[]).map((p) => ({
            partitionIndex: p,
            committedOffset: -1n,
            errorCode: 0,
          })),
        })),
      })),
    }));
    t.cluster.once('ConsumerGroupHeartbeat', () => answer(7, [0]));
    t.start();
    t.clock.advanceTo(100);
    const fetches = t.cluster.requests('OffsetFetch');
    expect(fetches.length).toBeGreaterThan(0);
    expect(fetches[0].body.groups[0]).toMatchObject({
      groupId: 'g',
      memberId: t.heartbeats()[0].body.memberId,
      memberEpoch: 7,
    });
  });

  it('takes partitions of a topic whose id metadata did not know yet once it does, without a new assignment', () => {
    const t = setup({ topics: ['orders', 'audit'] });
    const AUDIT_ID = '0d1e2f30-0000-4000-8000-0000000000ad';
    const events: string[] = [];
    t.consumer.events$.subscribe((e) => {
      if (e.type === 'error') events.push(e.error.name);
    });
    t.cluster.once('ConsumerGroupHeartbeat', () => ({
      ...answer(1, null),
      assignment: {
        topicPartitions: [
          { topicId: ORDERS_ID, partitions: [0] },
          { topicId: AUDIT_ID, partitions: [0] },
        ],
      },
    }));
    t.start();
    t.clock.advanceTo(500);
    expect(t.rebalances.map((r) => [r.type, r.partitions])).toEqual([['assigned', orders(0)]]);
    expect(events).toEqual(['UnknownTopicIdError']);
    // Metadata learns the topic; the next heartbeat (answered with no news) resolves the assignment again.
    (t.cluster.partitionCounts as Map<string, number>).set('audit', 1);
    t.cluster.topicIds.set('audit', AUDIT_ID);
    t.clock.advanceTo(1500);
    expect(t.rebalances.map((r) => [r.type, r.partitions])).toEqual([
      ['assigned', orders(0)],
      ['assigned', [{ topic: 'audit', partition: 0 }]],
    ]);
    const ack = t.heartbeats().find((h) => h.at > 1001)!;
    expect(ack.body.topicPartitions).toEqual([
      { topicId: AUDIT_ID, partitions: [0] },
      { topicId: ORDERS_ID, partitions: [0] },
    ]);
  });

  it('with manual acks, a stalled application leaves with epoch -1; an ack joins again with epoch 0', () => {
    const t = setup({ autoCommit: { intervalMs: 5000, ackMode: 'manual' }, maxPollIntervalMs: 20000 });
    t.cluster.produce('orders', 0, 'a0', 'a1');
    t.cluster.once('ConsumerGroupHeartbeat', () => answer(3, [0]));
    t.start();
    t.clock.advanceTo(30000);
    expect(t.records).toHaveLength(2);
    const epochs = () => t.heartbeats().map((h) => h.body.memberEpoch as number);
    expect(epochs().filter((e) => e < 0)).toEqual([-1]);
    const leftAt = t.heartbeats().find((h) => h.body.memberEpoch === -1)!.at;
    expect(t.heartbeats().filter((h) => h.at > leftAt)).toEqual([]);
    // Nothing acknowledged: commits so far sent the starting offset only, with the member epoch.
    expect(t.cluster.requests('OffsetCommit').every((c) => c.body.generationIdOrMemberEpoch === 3)).toBe(
      true,
    );
    expect(t.commits.every((c) => c.offsets.every((o) => o.offset === 0n))).toBe(true);
    t.records[0].ack();
    t.clock.advanceTo(30100);
    const after = t.heartbeats().filter((h) => h.at > leftAt);
    expect(after.map((h) => [h.body.memberEpoch, h.body.memberId])).toEqual([
      [0, t.heartbeats()[0].body.memberId],
    ]);
  });

  it('sends topicPattern as subscribedTopicRegex, with an empty list of names', () => {
    const t = setup({ topics: undefined, topicPattern: /^orders(-.*)?$/ });
    t.start();
    t.clock.advanceTo(10);
    expect(t.heartbeats()[0].body).toMatchObject({
      subscribedTopicNames: [],
      subscribedTopicRegex: '^orders(-.*)?$',
    });
  });
});
