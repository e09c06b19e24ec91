import { defer, isObservable, map, NEVER, type Observable, of, switchMap, timer } from 'rxjs';
import type { SchedulerLike } from 'rxjs';
import type { Cluster, ClusterMetadata, TopicMetadata } from '../../src/cluster/cluster';
import { decodeVersioned, encodeVersioned } from '../../src/protocol/codec';
import { encodeRecordBatch } from '../../src/protocol/records';
import type { ApiSpec, Message } from '../../src/protocol/spec';
import type { ResponseOf } from '../../src/protocol/spec-types';
import { ConsumerProtocolAssignment, ConsumerProtocolSubscription } from '../../src/protocol/specs';
import type { BrokerAddress, RequestBody, RequestOptions } from '../../src/transport/transport';

/** A request the stand-in received, with the virtual time it arrived. */
export interface Received {
  readonly api: string;
  readonly at: number;
  readonly body: Message;
  readonly broker: BrokerAddress;
}

/** Answers one request: a response body, or an Observable of one (for delays), or NEVER. */
export type Handler = (body: Message, cluster: ScriptedConsumerCluster) => Message | Observable<Message>;

const BROKER: BrokerAddress = { host: 'broker-1', port: 9092, nodeId: 1 };

/**
 * A Cluster stand-in for marble tests: one broker that is leader of every partition and the group
 * coordinator, answering request bodies with response bodies after `latencyMs` on the scheduler.
 * By default it plays a one-member group and serves an in-memory log per partition; tests replace
 * any API's handler, or queue one-shot answers with `once`.
 */
export class ScriptedConsumerCluster implements Cluster {
  readonly received: Received[] = [];
  readonly coordinatorDeaths: number[] = [];
  readonly transport = { request: () => NEVER, close: async () => undefined };
  /** Records per `topic/partition`, offset = index. */
  readonly logs = new Map<string, Array<{ key: string | null; value: string }>>();
  committed = new Map<string, bigint>();
  generationId = 0;
  latencyMs = 1;
  /** Fetch version the broker "negotiated" (12: topic names, sessions). */
  fetchVersion = 12;
  /** OffsetFetch version the broker "negotiated" (9: member id and epoch, KIP-848). */
  offsetFetchVersion = 7;
  /** Topic ids that metadata reports (the consumer group protocol assigns by topic id). */
  topicIds = new Map<string, string>();
  private readonly handlers = new Map<string, Handler>();
  private readonly onceQueue = new Map<string, Handler[]>();
  private fetchSessionId = 0;
  private readonly fetchSessions = new Map<
    number,
    Map<string, { topic: string; partition: number; fetchOffset: bigint }>
  >();

  constructor(
    readonly clock: SchedulerLike,
    readonly partitionCounts: ReadonlyMap<string, number>,
  ) {
    this.handlers.set('JoinGroup', (b) => {
      if (b.memberId === '')
        return {
          errorCode: 79,
          generationId: -1,
          protocolName: null,
          leader: '',
          memberId: 'member-1',
          members: [],
        };
      this.generationId++;
      return {
        errorCode: 0,
        generationId: this.generationId,
        protocolName: b.protocols[0].name,
        leader: b.memberId,
        memberId: b.memberId,
        members: [
          {
            memberId: b.memberId,
            groupInstanceId: b.groupInstanceId ?? null,
            metadata: b.protocols[0].metadata,
          },
        ],
      };
    });
    this.handlers.set('SyncGroup', (b) => {
      const mine = (b.assignments as Message[]).find((a) => a.memberId === b.memberId);
      return { errorCode: 0, assignment: mine ? mine.assignment : Buffer.alloc(0) };
    });
    this.handlers.set('Heartbeat', () => ({ errorCode: 0 }));
    this.handlers.set('LeaveGroup', () => ({ errorCode: 0, members: [] }));
    this.handlers.set('OffsetFetch', (b) => ({
      errorCode: 0,
      topics: (b.topics as Message[]).map((t) => ({
        name: t.name,
        partitions: (t.partitionIndexes as number[]).map((p) => ({
          partitionIndex: p,
          committedOffset: this.committed.get(`${t.name}/${p}`) ?? -1n,
          metadata: null,
          errorCode: 0,
        })),
      })),
    }));
    this.handlers.set('OffsetCommit', (b) => {
      for (const t of b.topics as Message[])
        for (const p of t.partitions as Message[])
          this.committed.set(`${t.name}/${p.partitionIndex}`, p.committedOffset);
      return {
        topics: (b.topics as Message[]).map((t) => ({
          name: t.name,
          partitions: (t.partitions as Message[]).map((p) => ({
            partitionIndex: p.partitionIndex,
            errorCode: 0,
          })),
        })),
      };
    });
    this.handlers.set('ListOffsets', (b) => ({
      topics: (b.topics as Message[]).map((t) => ({
        name: t.name,
        partitions: (t.partitions as Message[]).map((p) => ({
          partitionIndex: p.partitionIndex,
          errorCode: 0,
          timestamp: -1n,
          offset: p.timestamp === -2n ? 0n : BigInt(this.log(t.name, p.partitionIndex).length),
        })),
      })),
    }));
    this.handlers.set('Fetch', (b) => this.fetch(b));
  }

  log(topic: string, partition: number): Array<{ key: string | null; value: string }> {
    const key = `${topic}/${partition}`;
    let log = this.logs.get(key);
    if (!log) this.logs.set(key, (log = []));
    return log;
  }

  produce(topic: string, partition: number, ...values: string[]): void {
    this.log(topic, partition).push(...values.map((value) => ({ key: null, value })));
  }

  /** Replaces the handler of an API. */
  on(api: string, handler: Handler): void {
    this.handlers.set(api, handler);
  }

  /** Answers the next request of `api` with this handler, then goes back to the usual one. */
  once(api: string, handler: Handler): void {
    const queue = this.onceQueue.get(api) ?? [];
    queue.push(handler);
    this.onceQueue.set(api, queue);
  }

  requests(api: string): Received[] {
    return this.received.filter((r) => r.api === api);
  }

  /**
   * Fetch with sessions as a broker keeps them (KIP-227): epoch 0 opens a session with the request's
   * partitions; later requests add or update partitions and drop forgotten ones, and the broker
   * serves every partition in the session, answering incremental requests only for those with data.
   */
  private fetch(b: Message): Observable<Message> | Message {
    type Wanted = { topic: string; partition: number; fetchOffset: bigint };
    const requested: Wanted[] = [];
    for (const t of b.topics as Message[])
      for (const p of t.partitions as Message[])
        requested.push({ topic: t.topic, partition: p.partition, fetchOffset: p.fetchOffset });
    let wanted: Wanted[];
    let sessionId = 0;
    let incremental = false;
    if (b.sessionEpoch === 0 || b.sessionEpoch === -1 || b.sessionEpoch === undefined) {
      if (b.sessionEpoch === 0) {
        sessionId = ++this.fetchSessionId;
        this.fetchSessions.set(sessionId, new Map(requested.map((w) => [`${w.topic}/${w.partition}`, w])));
      }
      wanted = requested;
    } else {
      const session = this.fetchSessions.get(b.sessionId as number);
      if (!session) return { throttleTimeMs: 0, errorCode: 70, sessionId: 0, responses: [] };
      sessionId = b.sessionId as number;
      incremental = true;
      for (const w of requested) session.set(`${w.topic}/${w.partition}`, w);
      for (const f of (b.forgottenTopicsData ?? []) as Message[])
        for (const p of f.partitions as number[]) session.delete(`${f.topic}/${p}`);
      wanted = [...session.values()];
    }
    const byTopic = new Map<string, Message[]>();
    let any = false;
    for (const w of wanted) {
      const log = this.log(w.topic, w.partition);
      const from = Number(w.fetchOffset);
      const slice = log.slice(from, from + 3);
      if (slice.length > 0) any = true;
      else if (incremental) continue;
      const records =
        slice.length === 0
          ? Buffer.alloc(0)
          : encodeRecordBatch(
              slice.map((r) => ({
                key: r.key === null ? null : Buffer.from(r.key),
                value: Buffer.from(r.value),
                timestamp: 1000,
              })),
              { baseOffset: BigInt(from) },
            );
      const list = byTopic.get(w.topic) ?? [];
      list.push({
        partitionIndex: w.partition,
        errorCode: 0,
        highWatermark: BigInt(log.length),
        lastStableOffset: BigInt(log.length),
        logStartOffset: 0n,
        abortedTransactions: null,
        preferredReadReplica: -1,
        records,
      });
      byTopic.set(w.topic, list);
    }
    const responses = [...byTopic].map(([topic, partitions]) => ({ topic, partitions }));
    const response = { throttleTimeMs: 0, errorCode: 0, sessionId, responses };
    // Like a broker: with nothing to return, wait maxWaitMs.
    return any ? response : timer(b.maxWaitMs as number, this.clock).pipe(map(() => response));
  }

  metadata(): Observable<ClusterMetadata> {
    const topics = new Map<string, TopicMetadata>();
    for (const [name, count] of this.partitionCounts) {
      const topicId = this.topicIds.get(name);
      topics.set(name, {
        name,
        ...(topicId === undefined ? {} : { topicId }),
        errorCode: 0,
        partitions: Array.from({ length: count }, (_, partition) => ({
          partition,
          leader: 1,
          leaderEpoch: 0,
          replicas: [1],
          isr: [1],
          errorCode: 0,
        })),
      });
    }
    return of({ clusterId: 'test', controllerId: 1, brokers: new Map([[1, BROKER]]), topics });
  }

  refreshMetadata(): Observable<ClusterMetadata> {
    return this.metadata();
  }

  leaderFor(): Observable<BrokerAddress> {
    return of(BROKER);
  }

  coordinator(): Observable<BrokerAddress> {
    return of(BROKER);
  }

  coordinatorDead(): void {
    this.coordinatorDeaths.push(this.clock.now());
  }

  // Scripted answers are untyped: a handler answers whatever the test gives it.
  request<A extends ApiSpec>(
    broker: BrokerAddress,
    api: A,
    body: RequestBody<A>,
    _options?: RequestOptions,
  ): Observable<ResponseOf<A>> {
    return defer(() => {
      const version =
        api.name === 'Fetch'
          ? this.fetchVersion
          : api.name === 'OffsetFetch'
            ? this.offsetFetchVersion
            : api.name === 'LeaveGroup'
              ? 3
              : api.maxVersion;
      const resolved: Message = typeof body === 'function' ? body(version) : body;
      this.received.push({ api: api.name, at: this.clock.now(), body: resolved, broker });
      const handler = this.onceQueue.get(api.name)?.shift() ?? this.handlers.get(api.name);
      if (!handler) throw new Error(`no handler for ${api.name}`);
      const answer = handler(resolved, this);
      const answer$: Observable<Message> = isObservable(answer)
        ? (answer as Observable<Message>)
        : of(answer as Message);
      return timer(this.latencyMs, this.clock).pipe(switchMap(() => answer$ as Observable<ResponseOf<A>>));
    });
  }

  requestAny<A extends ApiSpec>(api: A, body: RequestBody<A>): Observable<ResponseOf<A>> {
    return this.request(BROKER, api, body);
  }

  async close(): Promise<void> {}
}

/** Decodes what the consumer put in JoinGroup's protocol metadata. */
export function subscriptionOf(metadata: Buffer): Message {
  return decodeVersioned(ConsumerProtocolSubscription, metadata).body;
}

/** An assignment as the leader would send it. */
export function assignmentBytes(topic: string, partitions: number[]): Buffer {
  return encodeVersioned(ConsumerProtocolAssignment, 0, {
    assignedPartitions: [{ topic, partitions }],
    userData: null,
  });
}
