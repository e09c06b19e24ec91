import { config, defer, mergeMap, type Observable, of, throwError, timer, VirtualTimeScheduler } from 'rxjs';
import type { Cluster, ClusterMetadata, TopicMetadata } from '../../../src/cluster/cluster';
import { resolveConsumerConfig, type ResolvedConsumerConfig } from '../../../src/consumer/config';
import { PartitionRegistry } from '../../../src/consumer/offsets/partition-registry';
import type { PartitionState } from '../../../src/consumer/offsets/partition-state';
import { resetPositions$, resolvePositions$ } from '../../../src/consumer/offsets/positions';
import type { ConsumerEvent } from '../../../src/consumer/types';
import { ErrorCode } from '../../../src/protocol/errors';
import type { Message } from '../../../src/protocol/spec';
import { ConnectionError } from '../../../src/transport/errors';
import type { BrokerAddress } from '../../../src/transport/transport';

const coordinator: BrokerAddress = { host: 'coordinator', port: 9092, nodeId: 9 };
const brokers = new Map<number, BrokerAddress>([
  [1, { host: 'b1', port: 9092 }],
  [2, { host: 'b2', port: 9093 }],
]);

type Reply = Message | Error;

/** An OffsetFetch answer (v7 shape) for topic t: partition -> committed offset (or [offset, errorCode]). */
const committed = (offsets: Record<number, bigint | [bigint, number]>, errorCode = 0): Message => ({
  errorCode,
  topics: [
    {
      name: 't',
      partitions: Object.entries(offsets).map(([p, o]) => ({
        partitionIndex: Number(p),
        committedOffset: Array.isArray(o) ? o[0] : o,
        metadata: null,
        errorCode: Array.isArray(o) ? o[1] : 0,
      })),
    },
  ],
});

/** A ListOffsets answer for topic t: partition -> offset (or [offset, errorCode]). */
const listed = (offsets: Record<number, bigint | [bigint, number]>): Message => ({
  topics: [
    {
      name: 't',
      partitions: Object.entries(offsets).map(([p, o]) => ({
        partitionIndex: Number(p),
        errorCode: Array.isArray(o) ? o[1] : 0,
        timestamp: -1n,
        offset: Array.isArray(o) ? o[0] : o,
      })),
    },
  ],
});

/**
 * Offset lookups against a stand-in cluster on a virtual clock: OffsetFetch and ListOffsets are
 * answered with the replies given per API, in order, 1 ms after they are sent.
 */
function setup(
  options: {
    leaders?: Record<number, number>;
    config?: Partial<ResolvedConsumerConfig>;
    version?: number;
  } = {},
) {
  const clock = new VirtualTimeScheduler();
  const config: ResolvedConsumerConfig = {
    ...resolveConsumerConfig({ brokers: ['b1:9092'], groupId: 'g', topics: ['t'] }),
    retryBackoffMs: 100,
    retryBackoffMaxMs: 100,
    fromBeginning: true,
    isolationLevel: 1,
    ...options.config,
  };
  const leaders = options.leaders ?? { 0: 1, 1: 1 };
  const replies: Record<string, Reply[]> = { OffsetFetch: [], ListOffsets: [] };
  const sent: Array<{ api: string; at: number; broker: BrokerAddress; body: Message }> = [];
  const dead: number[] = [];
  const refreshed: string[] = [];
  const metadataAsked: Array<readonly string[]> = [];
  const metadata = (): ClusterMetadata => {
    const topic: TopicMetadata = {
      name: 't',
      errorCode: 0,
      partitions: Object.entries(leaders).map(([p, leader]) => ({
        partition: Number(p),
        leader,
        leaderEpoch: 0,
        replicas: [],
        isr: [],
        errorCode: 0,
      })),
    };
    return { clusterId: 'c', controllerId: 1, brokers, topics: new Map([['t', topic]]) };
  };
  const cluster = {
    clock,
    coordinator: () => of(coordinator),
    coordinatorDead: () => dead.push(clock.now()),
    metadata: (topics: readonly string[]) => {
      metadataAsked.push(topics);
      return of(metadata());
    },
    refreshMetadata: (topics: readonly string[]) => {
      refreshed.push(`${clock.now()}:${topics.join()}`);
      return throwError(() => new Error('nobody waits for this refresh'));
    },
    request: (broker: BrokerAddress, api: { name: string }, body: Message | ((v: number) => Message)) =>
      defer(() => {
        const resolved = typeof body === 'function' ? body(options.version ?? 7) : body;
        sent.push({ api: api.name, at: clock.now(), broker, body: resolved });
        const reply = replies[api.name].shift();
        if (reply === undefined) throw new Error(`no ${api.name} reply scripted`);
        return timer(1, clock).pipe(
          mergeMap((): Observable<Message> => (reply instanceof Error ? throwError(() => reply) : of(reply))),
        );
      }),
  } as unknown as Cluster;
  const events: ConsumerEvent[] = [];
  const ctx = { cluster, config, emit: (e: ConsumerEvent) => events.push(e) };
  const registry = new PartitionRegistry('auto', 1000);
  const own = (partition: number, position: bigint | null = null): PartitionState => {
    const state = registry.add({ topic: 't', partition });
    if (position !== null) state.setPosition(position);
    return state;
  };
  const errors = () => events.flatMap((e) => (e.type === 'error' ? [e.error.name] : []));
  const resets = () =>
    events.flatMap((e) => (e.type === 'offset-reset' ? [`${e.partition}@${e.offset}:${e.reason}`] : []));
  const requests = (api: string) => sent.filter((s) => s.api === api);
  const done = (obs: Observable<never>) => {
    const state = { completed: false };
    obs.subscribe({ complete: () => (state.completed = true) });
    return state;
  };
  return {
    clock,
    config,
    replies,
    sent,
    dead,
    refreshed,
    metadataAsked,
    events,
    ctx,
    own,
    errors,
    resets,
    requests,
    done,
  };
}

const partitionsOf = (body: Message) =>
  (body.topics as Message[]).flatMap((t) => (t.partitions as Message[]).map((p) => p.partitionIndex));

describe('resolvePositions$', () => {
  it('starts from the committed offsets; partitions without one reset by policy through their leaders', () => {
    const f = setup({ leaders: { 0: 1, 1: 1, 2: 2 } });
    const [p0, p1, p2] = [f.own(0), f.own(1), f.own(2)];
    f.replies.OffsetFetch.push(committed({ 0: 5n, 1: -1n, 2: -1n }));
    f.replies.ListOffsets.push(listed({ 1: 3n }), listed({ 2: 4n }));
    const run = f.done(resolvePositions$(f.ctx, [p0, p1, p2]));
    expect([p0.resolving, p1.resolving, p2.resolving]).toEqual([true, true, true]);
    expect(f.sent[0]).toMatchObject({
      api: 'OffsetFetch',
      broker: coordinator,
      body: { groupId: 'g', topics: [{ name: 't', partitionIndexes: [0, 1, 2] }], requireStable: true },
    });
    f.clock.flush();
    expect([p0.position, p1.position, p2.position]).toEqual([5n, 3n, 4n]);
    const lists = f.requests('ListOffsets');
    expect(lists.map((r) => [r.at, r.broker.nodeId, partitionsOf(r.body)])).toEqual([
      [1, 1, [1]],
      [1, 2, [2]],
    ]);
    expect(lists[0].body).toEqual({
      replicaId: -1,
      isolationLevel: 1,
      topics: [
        {
          name: 't',
          partitions: [{ partitionIndex: 1, currentLeaderEpoch: -1, timestamp: -2n, maxNumOffsets: 1 }],
        },
      ],
      timeoutMs: 30000,
    });
    expect(f.resets()).toEqual(['1@3:no committed offset', '2@4:no committed offset']);
    expect(f.metadataAsked).toEqual([['t']]);
    expect([p0.resolving, p1.resolving, p2.resolving]).toEqual([false, false, false]);
    expect(run.completed).toBe(true);
    expect(f.errors()).toEqual([]);
  });

  it('asks for the latest offset when fromBeginning is false', () => {
    const f = setup({ config: { fromBeginning: false, isolationLevel: 0 } });
    const p0 = f.own(0);
    f.replies.OffsetFetch.push(committed({ 0: -1n }));
    f.replies.ListOffsets.push(listed({ 0: 42n }));
    resolvePositions$(f.ctx, [p0]).subscribe();
    f.clock.flush();
    expect(f.requests('ListOffsets')[0].body).toMatchObject({
      isolationLevel: 0,
      topics: [{ partitions: [{ timestamp: -1n }] }],
    });
    expect(p0.position).toBe(42n);
  });

  it('a committed offset of 0 is a position, not a missing one', () => {
    const f = setup();
    const p0 = f.own(0);
    f.replies.OffsetFetch.push(committed({ 0: 0n }));
    resolvePositions$(f.ctx, [p0]).subscribe();
    f.clock.flush();
    expect(p0.position).toBe(0n);
    expect(f.requests('ListOffsets')).toEqual([]);
    expect(f.metadataAsked).toEqual([]);
  });

  it('names the member from OffsetFetch v8 (consumer group protocol)', () => {
    const f = setup({ version: 9 });
    const p0 = f.own(0);
    f.replies.OffsetFetch.push({ groups: [{ groupId: 'g', errorCode: 0, ...committed({ 0: 7n }) }] });
    resolvePositions$(f.ctx, [p0], () => ({ memberId: 'm', memberEpoch: 3 })).subscribe();
    expect(f.sent[0].body).toEqual({
      groups: [
        { groupId: 'g', memberId: 'm', memberEpoch: 3, topics: [{ name: 't', partitionIndexes: [0] }] },
      ],
      requireStable: true,
    });
    f.clock.flush();
    expect(p0.position).toBe(7n);
  });

  it('asks nothing for partitions that have a position, are being resolved, or are revoked', () => {
    const f = setup();
    const known = f.own(0, 3n);
    const resolving = f.own(1);
    resolving.resolving = true;
    const revoked = f.own(2);
    revoked.revoke();
    const run = f.done(resolvePositions$(f.ctx, [known, resolving, revoked]));
    f.clock.flush();
    expect(run.completed).toBe(true);
    expect(f.sent).toEqual([]);
    expect(resolving.resolving).toBe(true);
  });

  it('keeps a position set while OffsetFetch was on its way, and skips a partition revoked meanwhile', () => {
    const f = setup();
    const [p0, p1] = [f.own(0), f.own(1)];
    f.replies.OffsetFetch.push(committed({ 0: 5n, 1: -1n }));
    resolvePositions$(f.ctx, [p0, p1]).subscribe();
    p0.seek(100n);
    p1.revoke();
    f.clock.flush();
    expect(p0.position).toBe(100n);
    expect(p1.position).toBe(null);
    expect(f.requests('ListOffsets')).toEqual([]);
  });

  it.each([
    ['group', 'NOT_COORDINATOR', committed({}, ErrorCode.NOT_COORDINATOR)],
    ['partition', 'COORDINATOR_NOT_AVAILABLE', committed({ 0: [-1n, ErrorCode.COORDINATOR_NOT_AVAILABLE] })],
  ])(
    'a coordinator move (%s error %s) marks the coordinator dead and retries after the backoff',
    (_, name, reply) => {
      const f = setup();
      const p0 = f.own(0);
      f.replies.OffsetFetch.push(reply, committed({ 0: 8n }));
      resolvePositions$(f.ctx, [p0]).subscribe();
      f.clock.flush();
      expect(f.dead).toEqual([1]);
      expect(f.errors()).toEqual([name]);
      expect(f.requests('OffsetFetch').map((r) => r.at)).toEqual([0, 101]);
      expect(p0.position).toBe(8n);
    },
  );

  it('an error on any partition of the answer is retried, not only on the first', () => {
    const f = setup();
    const [p0, p1] = [f.own(0), f.own(1)];
    f.replies.OffsetFetch.push(
      committed({ 0: 3n, 1: [-1n, ErrorCode.UNSTABLE_OFFSET_COMMIT] }),
      committed({ 0: 3n, 1: 4n }),
    );
    // What partition 1 would get if its error went unseen.
    f.replies.ListOffsets.push(listed({ 1: 99n }));
    resolvePositions$(f.ctx, [p0, p1]).subscribe();
    f.clock.maxFrames = 1000;
    f.clock.flush();
    expect(f.errors()).toEqual(['UNSTABLE_OFFSET_COMMIT']);
    expect(f.requests('OffsetFetch')).toHaveLength(2);
    expect([p0.position, p1.position]).toEqual([3n, 4n]);
  });

  it('another OffsetFetch error is retried without marking the coordinator dead', () => {
    const f = setup();
    const p0 = f.own(0);
    f.replies.OffsetFetch.push(
      committed({ 0: [-1n, ErrorCode.UNSTABLE_OFFSET_COMMIT] }),
      committed({ 0: 2n }),
    );
    resolvePositions$(f.ctx, [p0]).subscribe();
    expect(p0.resolving).toBe(true);
    f.clock.flush();
    expect(f.dead).toEqual([]);
    expect(f.errors()).toEqual(['UNSTABLE_OFFSET_COMMIT']);
    expect(p0.position).toBe(2n);
    expect(p0.resolving).toBe(false);
  });

  it('a lost connection to the coordinator marks it dead; another failure does not', () => {
    const f = setup();
    const p0 = f.own(0);
    f.replies.OffsetFetch.push(new ConnectionError('reset'), new Error('other'), committed({ 0: 1n }));
    resolvePositions$(f.ctx, [p0]).subscribe();
    f.clock.flush();
    expect(f.dead).toEqual([1]);
    expect(f.errors()).toEqual(['ConnectionError', 'ConsumerError']);
    expect(p0.position).toBe(1n);
  });
});

describe('resetPositions$', () => {
  it('forgets the position and resets it by policy, saying why on events$', () => {
    const f = setup();
    const p0 = f.own(0, 50n);
    f.replies.ListOffsets.push(listed({ 0: 10n }));
    const run = f.done(resetPositions$(f.ctx, [p0], 'OFFSET_OUT_OF_RANGE'));
    expect(p0.position).toBe(null);
    expect(p0.resolving).toBe(true);
    f.clock.flush();
    expect(p0.position).toBe(10n);
    expect(p0.resolving).toBe(false);
    expect(f.resets()).toEqual(['0@10:OFFSET_OUT_OF_RANGE']);
    expect(f.events).toContainEqual({
      type: 'offset-reset',
      topic: 't',
      partition: 0,
      offset: 10n,
      reason: 'OFFSET_OUT_OF_RANGE',
    });
    expect(run.completed).toBe(true);
  });

  it('leaves out partitions being resolved or revoked', () => {
    const f = setup();
    const busy = f.own(0, 5n);
    busy.resolving = true;
    const gone = f.own(1, 6n);
    gone.revoke();
    const run = f.done(resetPositions$(f.ctx, [busy, gone], 'why'));
    f.clock.flush();
    expect(run.completed).toBe(true);
    expect(f.sent).toEqual([]);
    expect([busy.position, gone.position]).toEqual([5n, 6n]);
    expect(busy.resolving).toBe(true);
  });

  it('without a leader: refreshes metadata and tries again after the backoff', () => {
    const f = setup({ leaders: { 0: -1 } });
    const p0 = f.own(0, 5n);
    resetPositions$(f.ctx, [p0], 'why').subscribe();
    f.clock.maxFrames = 150;
    f.clock.flush();
    expect(f.errors()).toEqual(['LEADER_NOT_AVAILABLE', 'LEADER_NOT_AVAILABLE']);
    expect(f.refreshed).toEqual(['0:t', '100:t']);
    expect(f.sent).toEqual([]);
    expect(p0.resolving).toBe(true);
  });

  it('a partition the metadata does not name has no leader yet', () => {
    const f = setup({ leaders: { 0: 1 } });
    const p5 = f.own(5, 1n);
    resetPositions$(f.ctx, [p5], 'why').subscribe();
    f.clock.maxFrames = 50;
    f.clock.flush();
    expect(f.errors()).toEqual(['LEADER_NOT_AVAILABLE']);
    expect(f.refreshed).toEqual(['0:t']);
    expect(f.sent).toEqual([]);
  });

  it('a failed metadata refresh is not reported as an unhandled error', async () => {
    const unhandled: unknown[] = [];
    config.onUnhandledError = (e) => unhandled.push(e);
    try {
      const f = setup({ leaders: { 0: -1, 1: 1 } });
      const [p0, p1] = [f.own(0, 1n), f.own(1, 1n)];
      f.replies.ListOffsets.push(listed({ 1: [-1n, ErrorCode.NOT_LEADER_OR_FOLLOWER] }));
      resetPositions$(f.ctx, [p1], 'why').subscribe();
      resetPositions$(f.ctx, [p0], 'why').subscribe();
      f.clock.maxFrames = 50;
      f.clock.flush();
      expect(f.refreshed).toEqual(['0:t', '1:t']);
      // rxjs reports unhandled errors on a later macrotask.
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      config.onUnhandledError = null;
    }
  });

  it('a partition error is retried; one stale metadata explains refreshes metadata first', () => {
    const f = setup();
    const p0 = f.own(0, 5n);
    f.replies.ListOffsets.push(
      listed({ 0: [-1n, ErrorCode.NOT_LEADER_OR_FOLLOWER] }),
      listed({ 0: [-1n, ErrorCode.UNKNOWN_SERVER_ERROR] }),
      listed({ 0: 9n }),
    );
    resetPositions$(f.ctx, [p0], 'why').subscribe();
    f.clock.flush();
    expect(f.errors()).toEqual(['NOT_LEADER_OR_FOLLOWER', 'UNKNOWN_SERVER_ERROR']);
    expect(f.refreshed).toEqual(['1:t']);
    expect(f.requests('ListOffsets').map((r) => r.at)).toEqual([0, 101, 202]);
    expect(p0.position).toBe(9n);
  });

  it('asks again only for the partitions an answer left out', () => {
    const f = setup();
    const [p0, p1] = [f.own(0, 1n), f.own(1, 1n)];
    f.replies.ListOffsets.push(listed({ 0: 4n }), listed({ 1: 6n }));
    resetPositions$(f.ctx, [p0, p1], 'why').subscribe();
    f.clock.flush();
    expect(f.errors()).toEqual(['OffsetLookupError']);
    expect(f.events).toContainEqual({
      type: 'error',
      error: expect.objectContaining({ message: 'ListOffsets answered without t/1', retriable: true }),
    });
    expect(f.requests('ListOffsets').map((r) => partitionsOf(r.body))).toEqual([[0, 1], [1]]);
    expect([p0.position, p1.position]).toEqual([4n, 6n]);
  });

  it('a position sought while ListOffsets was on its way wins, and is not reported as a reset', () => {
    const f = setup();
    const p0 = f.own(0, 1n);
    f.replies.ListOffsets.push(listed({ 0: 4n, 7: 1n }));
    resetPositions$(f.ctx, [p0], 'why').subscribe();
    p0.seek(30n);
    f.clock.flush();
    expect(p0.position).toBe(30n);
    expect(f.resets()).toEqual([]);
    expect(f.errors()).toEqual([]);
  });
});
