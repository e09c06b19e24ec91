import {
  concat,
  defer,
  EMPTY,
  map,
  mergeMap,
  NEVER,
  Observable,
  of,
  Subscription,
  throwError,
  timer,
  VirtualTimeScheduler,
} from 'rxjs';
import type { Cluster, ClusterMetadata, TopicMetadata } from '../../../src/cluster/cluster';
import { resolveConsumerConfig, type ResolvedConsumerConfig } from '../../../src/consumer/config';
import { Fetcher } from '../../../src/consumer/fetcher/fetcher';
import { PartitionRegistry } from '../../../src/consumer/offsets/partition-registry';
import type { ConsumerEvent, ConsumerRecord } from '../../../src/consumer/types';
import { ErrorCode } from '../../../src/protocol/errors';
import { encodeRecordBatch } from '../../../src/protocol/records';
import type { Message } from '../../../src/protocol/spec';
import type { BrokerAddress, RequestOptions } from '../../../src/transport/transport';

const ZERO_UUID = '00000000-0000-0000-0000-000000000000';
const broker1: BrokerAddress = { host: 'b1', port: 9092 };
const broker2: BrokerAddress = { host: 'b2', port: 9093 };
const broker0: BrokerAddress = { host: 'b0', port: 9094 };

/** Leaders per `topic/partition` (-1: none); broker ids 0, 1 and 2. */
type Leaders = Record<string, number>;

function metadataOf(leaders: Leaders, topicIds: Record<string, string> = {}): ClusterMetadata {
  const topics = new Map<string, TopicMetadata>();
  for (const [key, leader] of Object.entries(leaders)) {
    const [name, partition] = key.split('/');
    const topic = topics.get(name) ?? {
      name,
      ...(topicIds[name] === undefined ? {} : { topicId: topicIds[name] }),
      errorCode: 0,
      partitions: [],
    };
    (topic.partitions as TopicMetadata['partitions'][number][]).push({
      partition: Number(partition),
      leader,
      leaderEpoch: 0,
      replicas: [leader],
      isr: [leader],
      errorCode: 0,
    });
    topics.set(name, topic);
  }
  return {
    clusterId: 'c',
    controllerId: 1,
    brokers: new Map([
      [0, broker0],
      [1, broker1],
      [2, broker2],
    ]),
    topics,
  };
}

/** A request that completes without a response. */
const EMPTY_REPLY: Message = {};

type Reply = Message | Error | typeof NEVER;

interface Sent {
  readonly at: number;
  readonly broker: BrokerAddress;
  readonly body: Message;
  readonly options: RequestOptions | undefined;
}

/** One Fetch answer for topic t (by name, v12) with these partitions. */
const answer = (...partitions: Message[]): Message => ({
  throttleTimeMs: 0,
  errorCode: 0,
  sessionId: 0,
  responses: [{ topic: 't', partitions }],
});

/** A partition's part of a Fetch answer. */
const part = (partitionIndex: number, fields: Partial<Message> = {}): Message => ({
  partitionIndex,
  errorCode: 0,
  highWatermark: 10n,
  lastStableOffset: 8n,
  logStartOffset: 0n,
  abortedTransactions: null,
  preferredReadReplica: -1,
  records: null,
  ...fields,
});

const batch = (baseOffset: bigint, ...values: string[]): Buffer =>
  encodeRecordBatch(
    values.map((v) => ({ key: null, value: Buffer.from(v), timestamp: 1000 })),
    { baseOffset },
  );

/**
 * A Fetcher over a stand-in cluster on a virtual clock: metadata with the leaders given, Fetch
 * answered with the replies given in order (after `latencyMs`), and what it does recorded.
 */
function setup(
  options: {
    leaders?: Leaders;
    topicIds?: Record<string, string>;
    version?: number;
    config?: Partial<ResolvedConsumerConfig>;
    metadataError?: Error;
    /** Metadata answers after this long, and then stays open (as a watched source would). */
    metadataDelayMs?: number;
  } = {},
) {
  const clock = new VirtualTimeScheduler();
  const config: ResolvedConsumerConfig = {
    ...resolveConsumerConfig({ brokers: ['b1:9092'], groupId: 'g', topics: ['t'] }),
    retryBackoffMs: 100,
    maxWaitMs: 500,
    minBytes: 3,
    maxBytes: 4000,
    maxPartitionBytes: 2000,
    isolationLevel: 0,
    ...options.config,
  };
  const leaders = options.leaders ?? { 't/0': 1, 't/1': 1 };
  const replies: Reply[] = [];
  const sent: Sent[] = [];
  const refreshed: Array<readonly string[] | undefined> = [];
  const metadataAsked: Array<readonly string[] | undefined> = [];
  const cluster = {
    clock,
    metadata: (topics?: readonly string[]) => {
      metadataAsked.push(topics);
      if (options.metadataError) return throwError(() => options.metadataError);
      const answer = of(metadataOf(leaders, options.topicIds));
      return options.metadataDelayMs === undefined
        ? answer
        : concat(timer(options.metadataDelayMs, clock).pipe(mergeMap(() => answer)), NEVER);
    },
    refreshMetadata: (topics?: readonly string[]) => {
      refreshed.push(topics);
      return throwError(() => new Error('refresh fails: nobody waits for it'));
    },
    request: (
      broker: BrokerAddress,
      _api: unknown,
      body: (v: number) => Message,
      requestOptions?: RequestOptions,
    ): Observable<Message> =>
      defer(() => {
        sent.push({ at: clock.now(), broker, body: body(options.version ?? 12), options: requestOptions });
        const reply = replies.shift();
        if (reply === undefined) throw new Error('no reply scripted');
        if (reply === NEVER) return NEVER;
        if (reply === EMPTY_REPLY) return EMPTY;
        if (reply instanceof Error) return timer(1, clock).pipe(mergeMap(() => throwError(() => reply)));
        return timer(1, clock).pipe(map(() => reply as Message));
      }),
  } as unknown as Cluster;
  const registry = new PartitionRegistry('auto', 1000);
  const events: ConsumerEvent[] = [];
  const resets: Array<{ partition: number; reason: string }> = [];
  const fetcher = new Fetcher({
    cluster,
    config,
    registry,
    emit: (e) => events.push(e),
    resetOffset: (s, reason) => resets.push({ partition: s.partition, reason }),
  });
  /** When the fetcher says a broker is free again (the tick stream then plans the next round). */
  const demands: number[] = [];
  fetcher.idle$.subscribe(() => demands.push(clock.now()));
  /** Adds a partition at this position, with a subscriber collecting its records and its error. */
  const own = (topic: string, partition: number, position: bigint | null = 0n) => {
    const state = registry.add({ topic, partition });
    if (position !== null) state.setPosition(position);
    const records: ConsumerRecord[] = [];
    const failed: unknown[] = [];
    new Observable<ConsumerRecord>((s) => state.attach(s)).subscribe({
      next: (r) => records.push(r),
      error: (e: unknown) => failed.push(e),
    });
    return { state, records, failed };
  };
  /** Plans a round and runs every planned Fetch. */
  const round = (): Subscription =>
    fetcher
      .plan$()
      .pipe(mergeMap((plan) => fetcher.run$(plan)))
      .subscribe();
  const errors = () => events.flatMap((e) => (e.type === 'error' ? [e.error.name] : []));
  const fetchEvents = () => events.filter((e) => e.type === 'fetch');
  return {
    clock,
    config,
    replies,
    sent,
    refreshed,
    metadataAsked,
    registry,
    events,
    resets,
    demands,
    fetcher,
    own,
    round,
    errors,
    fetchEvents,
  };
}

const values = (records: ConsumerRecord[]) => records.map((r) => `${r.offset}:${r.value?.toString()}`);

describe('Fetcher', () => {
  it('sends one Fetch per leader with the fields Kafka expects, and hands the records to their partitions', () => {
    const f = setup({ leaders: { 't/0': 1, 't/1': 2, 't/2': 1 } });
    const p0 = f.own('t', 0, 5n);
    const p1 = f.own('t', 1, 0n);
    const p2 = f.own('t', 2, 7n);
    f.replies.push(
      answer(part(0, { records: batch(5n, 'a', 'b') }), part(2, { records: batch(7n, 'c') })),
      answer(part(1, { records: batch(0n, 'd'), highWatermark: 4n })),
    );
    f.round();
    // Both requests are in flight together.
    expect(f.sent.map((s) => [s.at, s.broker])).toEqual([
      [0, { ...broker1, nodeId: 1 }],
      [0, { ...broker2, nodeId: 2 }],
    ]);
    expect(f.metadataAsked).toEqual([['t']]);
    expect(p0.state.fetching && p1.state.fetching && p2.state.fetching).toBe(true);
    expect(f.sent[0].options).toEqual({ timeoutMs: 500 + 30000 });
    expect(f.sent[0].body).toEqual({
      replicaId: -1,
      maxWaitMs: 500,
      minBytes: 3,
      maxBytes: 4000,
      isolationLevel: 0,
      sessionId: 0,
      sessionEpoch: 0,
      topics: [
        {
          topic: 't',
          topicId: ZERO_UUID,
          partitions: [0, 2].map((partition) => ({
            partition,
            currentLeaderEpoch: -1,
            fetchOffset: partition === 0 ? 5n : 7n,
            lastFetchedEpoch: -1,
            logStartOffset: -1n,
            partitionMaxBytes: 2000,
          })),
        },
      ],
      forgottenTopicsData: [],
      rackId: '',
    });
    f.clock.flush();
    expect(values(p0.records)).toEqual(['5:a', '6:b']);
    expect(values(p1.records)).toEqual(['0:d']);
    expect(values(p2.records)).toEqual(['7:c']);
    expect([p0.state.position, p1.state.position, p2.state.position]).toEqual([7n, 1n, 8n]);
    // read_uncommitted: the end is the high watermark.
    expect([p0.state.endOffset, p1.state.endOffset]).toEqual([10n, 4n]);
    expect(p0.state.fetching || p1.state.fetching || p2.state.fetching).toBe(false);
    expect(f.fetchEvents()).toEqual([
      {
        type: 'fetch',
        broker: { ...broker1, nodeId: 1 },
        partitions: 2,
        records: 3,
        bytes: batch(5n, 'a', 'b').length + batch(7n, 'c').length,
      },
      {
        type: 'fetch',
        broker: { ...broker2, nodeId: 2 },
        partitions: 1,
        records: 1,
        bytes: batch(0n, 'd').length,
      },
    ]);
    // Each finished Fetch asks for the next round at once (no backoff).
    expect(f.demands).toEqual([1, 1]);
    expect(f.errors()).toEqual([]);
  });

  it('plans nothing without fetchable partitions, and asks no metadata', () => {
    const f = setup();
    const p0 = f.own('t', 0, null);
    const p1 = f.own('t', 1);
    p1.state.pause();
    f.round();
    f.clock.flush();
    expect(f.metadataAsked).toEqual([]);
    expect(f.sent).toEqual([]);
    expect(p0.state.fetching).toBe(false);
  });

  it('sends nothing to a broker with a Fetch in flight, and plans it again once that is answered', () => {
    const f = setup({ leaders: { 't/0': 1, 't/1': 1, 't/2': 2 } });
    f.own('t', 0);
    f.replies.push(answer(part(0)));
    f.round();
    // Partition 1 joins while broker 1 is busy; partition 2 is on idle broker 2.
    f.own('t', 1);
    f.own('t', 2);
    f.replies.push(answer(part(2)));
    f.round();
    expect(f.sent.map((s) => s.broker.nodeId)).toEqual([1, 2]);
    expect(f.sent[1].body.topics).toMatchObject([{ partitions: [{ partition: 2 }] }]);
    f.clock.flush();
    f.replies.push(answer(part(0), part(1)), answer(part(2)));
    f.round();
    expect(f.sent.map((s) => s.broker.nodeId)).toEqual([1, 2, 1, 2]);
    expect(f.sent[2].body.topics).toMatchObject([{ partitions: [{ partition: 0 }, { partition: 1 }] }]);
  });

  it('leaves a partition without a leader out and refreshes metadata; the others are fetched', () => {
    const f = setup({ leaders: { 't/0': -1, 't/1': 1, 't/2': 3 } });
    const p0 = f.own('t', 0);
    f.own('t', 1);
    const p2 = f.own('t', 2);
    // Not in the metadata at all.
    const p5 = f.own('t', 5);
    const u0 = f.own('u', 0);
    f.replies.push(answer(part(1)));
    f.round();
    expect(f.sent).toHaveLength(1);
    expect(f.sent[0].body.topics).toEqual([
      expect.objectContaining({ topic: 't', partitions: [expect.objectContaining({ partition: 1 })] }),
    ]);
    // Leader -1, leader 3 (not among the brokers) and no leader known alike; one refresh for the round.
    expect(f.refreshed).toHaveLength(1);
    expect(new Set(f.refreshed[0])).toEqual(new Set(['t', 'u']));
    expect(p0.state.fetching || p2.state.fetching || p5.state.fetching || u0.state.fetching).toBe(false);
  });

  it('a broker with node id 0 leads like any other', () => {
    const f = setup({ leaders: { 't/0': 0 } });
    f.own('t', 0);
    f.replies.push(answer(part(0)));
    f.round();
    expect(f.sent.map((s) => s.broker)).toEqual([{ ...broker0, nodeId: 0 }]);
    expect(f.refreshed).toEqual([]);
  });

  it('plan$ completes after one metadata answer, even from a source that stays open', () => {
    const f = setup({ metadataDelayMs: 5 });
    f.own('t', 0);
    let completed = false;
    const plans: number[] = [];
    f.fetcher
      .plan$()
      .subscribe({ next: (p) => plans.push(p.partitions.length), complete: () => (completed = true) });
    f.clock.flush();
    expect(plans).toEqual([1]);
    expect(completed).toBe(true);
  });

  it('a partition paused while metadata was on its way is left out of the round', () => {
    const f = setup({ metadataDelayMs: 5 });
    const p0 = f.own('t', 0);
    f.own('t', 1);
    f.replies.push(answer(part(1)));
    f.round();
    p0.state.pause();
    f.clock.flush();
    expect(f.sent).toHaveLength(1);
    expect(f.sent[0].body.topics).toMatchObject([{ partitions: [{ partition: 1 }] }]);
    expect(f.sent[0].body.topics[0].partitions).toHaveLength(1);
    expect(p0.state.fetching).toBe(false);
  });

  it('Fetch v4 to v6: sessionless, and an answer without a top-level error code or session id is read as one', () => {
    const f = setup({ version: 6 });
    const p0 = f.own('t', 0);
    f.replies.push(
      {
        throttleTimeMs: 0,
        responses: [{ topic: 't', partitions: [part(0, { records: batch(0n, 'old') })] }],
      },
      // Nothing at all for the second request: no partition named, not even an empty list.
      { throttleTimeMs: 0 },
    );
    f.round();
    expect(f.sent[0].body).toMatchObject({ sessionId: 0, sessionEpoch: -1 });
    f.clock.flush();
    expect(values(p0.records)).toEqual(['0:old']);
    expect(f.errors()).toEqual([]);
    f.round();
    expect(f.sent[1].body).toMatchObject({
      sessionId: 0,
      sessionEpoch: -1,
      topics: [{ partitions: [{ fetchOffset: 1n }] }],
    });
    f.clock.flush();
    expect(f.errors()).toEqual([]);
    expect(f.fetchEvents()).toMatchObject([{ partitions: 1 }, { partitions: 0, records: 0 }]);
  });

  it('refreshes no metadata when every partition has a leader', () => {
    const f = setup();
    f.own('t', 0);
    f.replies.push(answer(part(0)));
    f.round();
    f.clock.flush();
    expect(f.refreshed).toEqual([]);
  });

  it('a metadata failure is an error event, and the next round is asked for after retryBackoffMs', () => {
    const f = setup({ metadataError: new Error('no metadata') });
    f.own('t', 0);
    f.round();
    expect(f.errors()).toEqual(['ConsumerError']);
    f.clock.maxFrames = 99;
    f.clock.flush();
    expect(f.demands).toEqual([]);
    f.clock.maxFrames = Infinity;
    f.clock.flush();
    expect(f.demands).toEqual([100]);
    expect(f.sent).toEqual([]);
  });

  it('names topics by id from Fetch v13, and maps the answer back by id (a zero id is no id)', () => {
    const id = '11111111-2222-3333-4444-555555555555';
    const f = setup({ version: 13, topicIds: { t: id, u: ZERO_UUID }, leaders: { 't/0': 1, 'u/0': 1 } });
    const t0 = f.own('t', 0);
    const u0 = f.own('u', 0);
    f.replies.push({
      throttleTimeMs: 0,
      errorCode: 0,
      sessionId: 0,
      responses: [
        { topicId: id, partitions: [part(0, { records: batch(0n, 'x') })] },
        // A zero id names no topic (not even one whose metadata had a zero id).
        { topicId: ZERO_UUID, partitions: [part(0, { records: batch(0n, 'z') })] },
        // A topic id this consumer did not ask for: ignored.
        {
          topicId: '99999999-2222-3333-4444-555555555555',
          partitions: [part(0, { records: batch(0n, 'y') })],
        },
      ],
    });
    f.round();
    expect(f.sent[0].body.topics).toMatchObject([
      { topic: 't', topicId: id },
      { topic: 'u', topicId: ZERO_UUID },
    ]);
    f.clock.flush();
    expect(values(t0.records)).toEqual(['0:x']);
    expect(u0.records).toEqual([]);
  });

  it('before v13 reads topics by name, even where metadata has ids', () => {
    const id = '11111111-2222-3333-4444-555555555555';
    const f = setup({ version: 12, topicIds: { t: id }, leaders: { 't/0': 1 } });
    const t0 = f.own('t', 0);
    f.replies.push({
      throttleTimeMs: 0,
      errorCode: 0,
      sessionId: 0,
      responses: [{ topic: 't', topicId: ZERO_UUID, partitions: [part(0, { records: batch(0n, 'x') })] }],
    });
    f.round();
    f.clock.flush();
    expect(values(t0.records)).toEqual(['0:x']);
  });

  it('read_committed takes the last stable offset as the end, or the high watermark when there is none', () => {
    const f = setup({ config: { isolationLevel: 1 }, leaders: { 't/0': 1, 't/1': 1, 't/2': 1 } });
    const p0 = f.own('t', 0);
    const p1 = f.own('t', 1);
    const p2 = f.own('t', 2);
    f.replies.push(
      answer(
        part(0, { lastStableOffset: 8n }),
        part(1, { lastStableOffset: -1n }),
        part(2, { lastStableOffset: 0n }),
      ),
    );
    f.round();
    expect(f.sent[0].body.isolationLevel).toBe(1);
    f.clock.flush();
    expect([p0.state.endOffset, p1.state.endOffset, p2.state.endOffset]).toEqual([8n, 10n, 0n]);
  });

  it.each<[string, 0 | 1, string[]]>([
    ['read_committed leaves out the records of aborted transactions', 1, ['1:yes']],
    ['read_uncommitted delivers the records of aborted transactions too', 0, ['0:no', '1:yes']],
  ])('%s', (_name, isolationLevel, delivered) => {
    const f = setup({ config: { isolationLevel } });
    const p0 = f.own('t', 0);
    const aborted = encodeRecordBatch([{ key: null, value: Buffer.from('no'), timestamp: 1 }], {
      baseOffset: 0n,
      producerId: 9n,
      producerEpoch: 0,
      baseSequence: 0,
      transactional: true,
    });
    f.replies.push(
      answer(
        part(0, {
          records: Buffer.concat([aborted, batch(1n, 'yes')]),
          abortedTransactions: [{ producerId: 9n, firstOffset: 0n }],
        }),
      ),
    );
    f.round();
    f.clock.flush();
    expect(values(p0.records)).toEqual(delivered);
    expect(p0.state.position).toBe(2n);
  });

  it('an empty or null record set moves nothing', () => {
    const f = setup();
    const p0 = f.own('t', 0, 3n);
    const p1 = f.own('t', 1, 4n);
    f.replies.push(answer(part(0, { records: Buffer.alloc(0) }), part(1, { records: null })));
    f.round();
    f.clock.flush();
    expect([p0.state.position, p1.state.position]).toEqual([3n, 4n]);
    expect(f.fetchEvents()).toMatchObject([{ partitions: 2, records: 0, bytes: 0 }]);
    expect(f.errors()).toEqual([]);
    expect([p0.failed, p1.failed]).toEqual([[], []]);
  });

  it('records below the fetch offset (a batch starting earlier) are skipped, and the position never goes back', () => {
    const f = setup();
    const p0 = f.own('t', 0, 2n);
    const p1 = f.own('t', 1, 9n);
    // Partition 1's batch lies wholly below the fetch offset: nothing delivered, position kept.
    f.replies.push(
      answer(part(0, { records: batch(0n, 'a', 'b', 'c') }), part(1, { records: batch(0n, 'z') })),
    );
    f.round();
    f.clock.flush();
    expect(values(p0.records)).toEqual(['2:c']);
    expect(p0.state.position).toBe(3n);
    expect(p1.records).toEqual([]);
    expect(p1.state.position).toBe(9n);
  });

  it('ignores answers for partitions sought, revoked or not asked for meanwhile', () => {
    const f = setup({ leaders: { 't/0': 1, 't/1': 1, 't/2': 1, 't/3': 1, 't/4': 1, 't/6': 1, 't/7': 1 } });
    const sought = f.own('t', 0);
    const revoked = f.own('t', 1);
    const moved = f.own('t', 2);
    const kept = f.own('t', 3);
    f.own('t', 4, null);
    const halted = f.own('t', 6);
    const failed = f.own('t', 7);
    const data = (p: number) => part(p, { records: batch(0n, 'r') });
    f.replies.push(answer(data(0), data(1), data(2), data(3), data(4), data(5), data(6), data(7)));
    f.round();
    sought.state.seek(0n);
    f.registry.revoke([{ topic: 't', partition: 1 }]);
    // Halted before the commit on revoke: still owned, but done with.
    halted.state.halt();
    // Failed (its stream errored) but still owned until the consumer gives it up.
    failed.state.fail(new Error('stream failed'));
    // Another path set the position (a reset): the answer no longer fits.
    moved.state.setPosition(1n);
    f.clock.flush();
    expect(sought.records).toEqual([]);
    expect(revoked.records).toEqual([]);
    expect(moved.records).toEqual([]);
    expect(halted.records).toEqual([]);
    expect(failed.records).toEqual([]);
    expect([sought, revoked, moved, halted, failed].map((p) => p.state.endOffset)).toEqual([
      null,
      null,
      null,
      null,
      null,
    ]);
    expect(values(kept.records)).toEqual(['0:r']);
    expect(f.fetchEvents()).toMatchObject([{ partitions: 1, records: 1 }]);
    // The seek's epoch is taken at planning: the next round fetches partition 0 again from 0.
    expect(sought.state.position).toBe(0n);
  });

  it('corrupt bytes fail that partition with a typed error; the other partitions go on', () => {
    const f = setup();
    const bad = f.own('t', 0);
    const good = f.own('t', 1);
    const corrupt = batch(0n, 'a');
    corrupt[corrupt.length - 1] ^= 0xff;
    f.replies.push(answer(part(0, { records: corrupt }), part(1, { records: batch(0n, 'b') })));
    f.round();
    f.clock.flush();
    expect(bad.failed).toHaveLength(1);
    expect(f.errors()).toEqual([(bad.failed[0] as Error).name]);
    expect(bad.state.revoked).toBe(true);
    expect(values(good.records)).toEqual(['0:b']);
    expect(f.fetchEvents()).toMatchObject([{ partitions: 2, records: 1 }]);
  });

  it('OFFSET_OUT_OF_RANGE resets the partition by policy, without an error or a backoff', () => {
    const f = setup();
    f.own('t', 0);
    f.replies.push(answer(part(0, { errorCode: ErrorCode.OFFSET_OUT_OF_RANGE })));
    f.round();
    f.clock.flush();
    expect(f.resets).toEqual([{ partition: 0, reason: 'OFFSET_OUT_OF_RANGE' }]);
    expect(f.errors()).toEqual([]);
    expect(f.demands).toEqual([1]);
  });

  it('a partition error stale metadata explains refreshes metadata, errors on events$ and backs the broker off', () => {
    const f = setup();
    f.own('t', 0);
    const p1 = f.own('t', 1);
    f.replies.push(
      answer(part(0, { errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER }), part(1, { records: batch(0n, 'ok') })),
    );
    f.round();
    f.clock.flush();
    expect(f.errors()).toEqual(['NOT_LEADER_OR_FOLLOWER']);
    expect(f.refreshed).toEqual([['t']]);
    expect(values(p1.records)).toEqual(['0:ok']);
    expect(f.demands).toEqual([101]);
    expect(f.resets).toEqual([]);
  });

  it('an error code this client does not know is an error event and a backoff', () => {
    const f = setup();
    f.own('t', 0);
    f.replies.push(answer(part(0, { errorCode: 9999 })));
    f.round();
    f.clock.flush();
    expect(f.errors()).toEqual(['UNKNOWN_ERROR_CODE_9999']);
    expect(f.refreshed).toEqual([]);
    expect(f.demands).toEqual([101]);
  });

  it('a Fetch that completes without an answer starts the session over, without a backoff', () => {
    const f = setup();
    f.own('t', 0);
    f.replies.push({ ...answer(), sessionId: 5 }, EMPTY_REPLY);
    f.round();
    f.clock.flush();
    f.round();
    f.clock.flush();
    expect(f.demands).toEqual([1, 1]);
    expect(f.errors()).toEqual([]);
    f.replies.push(answer());
    f.round();
    expect(f.sent.map((s) => s.body.sessionId)).toEqual([0, 5, 0]);
  });

  it('another partition error backs off without a metadata refresh', () => {
    const f = setup();
    f.own('t', 0);
    f.replies.push(answer(part(0, { errorCode: ErrorCode.UNKNOWN_SERVER_ERROR })));
    f.round();
    f.clock.flush();
    expect(f.errors()).toEqual(['UNKNOWN_SERVER_ERROR']);
    expect(f.refreshed).toEqual([]);
    expect(f.demands).toEqual([101]);
  });

  it('a top-level error is an error event and a backoff, and the session starts over', () => {
    const f = setup();
    const p0 = f.own('t', 0);
    f.replies.push(
      { ...answer(), sessionId: 5 },
      { ...answer(), errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED },
    );
    f.round();
    f.clock.flush();
    expect(f.demands).toEqual([1]);
    f.replies.push(answer(part(0, { records: batch(0n, 'late') })));
    f.round();
    f.clock.flush();
    expect(f.sent[1].body).toMatchObject({ sessionId: 5, sessionEpoch: 1 });
    expect(f.errors()).toEqual(['CLUSTER_AUTHORIZATION_FAILED']);
    expect(f.fetchEvents()).toHaveLength(1);
    expect(f.demands).toEqual([1, 102]);
    f.round();
    f.clock.flush();
    expect(f.sent[2].body).toMatchObject({ sessionId: 0, sessionEpoch: 0 });
    expect(values(p0.records)).toEqual(['0:late']);
  });

  it('a session error starts a full fetch at once: no error event, no backoff', () => {
    const f = setup();
    f.own('t', 0);
    f.replies.push(
      { ...answer(), sessionId: 5 },
      { ...answer(), errorCode: ErrorCode.FETCH_SESSION_ID_NOT_FOUND },
    );
    f.round();
    f.clock.flush();
    f.round();
    f.clock.flush();
    expect(f.errors()).toEqual([]);
    expect(f.fetchEvents()).toHaveLength(1);
    expect(f.demands).toEqual([1, 2]);
    f.replies.push(answer());
    f.round();
    expect(f.sent[2].body).toMatchObject({ sessionId: 0, sessionEpoch: 0 });
  });

  it('a failed request is an error event and a backoff; the session starts over', () => {
    const f = setup();
    const p0 = f.own('t', 0);
    f.replies.push({ ...answer(), sessionId: 5 }, new Error('connection reset'));
    f.round();
    f.clock.flush();
    f.round();
    f.clock.flush();
    expect(f.errors()).toEqual(['ConsumerError']);
    expect(f.demands).toEqual([1, 102]);
    expect(p0.state.fetching).toBe(false);
    f.replies.push(answer());
    f.round();
    expect(f.sent[2].body).toMatchObject({ sessionId: 0, sessionEpoch: 0 });
  });

  it('a Fetch cancelled before its answer frees the partitions and the broker, and the session starts over', () => {
    const f = setup();
    const p0 = f.own('t', 0);
    f.replies.push({ ...answer(), sessionId: 5 }, NEVER);
    f.round();
    f.clock.flush();
    const inFlight = f.round();
    expect(p0.state.fetching).toBe(true);
    inFlight.unsubscribe();
    expect(p0.state.fetching).toBe(false);
    expect(f.demands).toEqual([1, 1]);
    f.replies.push(answer());
    f.round();
    expect(f.sent.map((s) => s.body.sessionId)).toEqual([0, 5, 0]);
  });

  it('a session answer keeps the session: the next Fetch is incremental and names forgotten partitions', () => {
    const f = setup();
    f.own('t', 0);
    const p1 = f.own('t', 1);
    f.replies.push({ ...answer(), sessionId: 5 });
    f.round();
    f.clock.flush();
    p1.state.pause();
    f.replies.push(answer());
    f.round();
    expect(f.sent[1].body).toMatchObject({
      sessionId: 5,
      sessionEpoch: 1,
      topics: [],
      forgottenTopicsData: [{ topic: 't', topicId: ZERO_UUID, partitions: [1] }],
    });
  });
});
