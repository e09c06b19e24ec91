import {
  catchError,
  EMPTY,
  finalize,
  ignoreElements,
  map,
  type Observable,
  Subscription,
  take,
  tap,
  timer,
} from 'rxjs';
import type { Cluster, ClusterMetadata } from '../../cluster/cluster';
import type { KafkaRxError } from '../../errors';
import { ErrorCode, errorCodeEntry, protocolError } from '../../protocol/errors';
import { readRecordBatches, type RecordFactory } from '../../protocol/records';
import type { ResponseOf } from '../../protocol/spec-types';
import { ShareAcknowledge, ShareFetch } from '../../protocol/specs';
import { now } from '../../time/clock';
import { UnsupportedVersionError } from '../../transport/errors';
import type { BrokerAddress } from '../../transport/transport';
import { asKafkaRxError } from '../errors';
import { groupByTopic, tpKey } from '../topic-partition';
import type { TopicPartition } from '../types';
import { acknowledgementBatches } from './acknowledgement-batches';
import type { ResolvedShareConsumerConfig } from './config';
import { AcquiredShareRecord, UndeserializedAcquiredShareRecord, type Settle } from './share-record';
import { DeserializationError } from '../../serde/deserialization-error';
import { keepFetchedParts } from '../consumer-record';
import { deserializeParts, type AnyDeserializers } from '../deserialize-record';
import type {
  AcknowledgementResult,
  AcknowledgeType,
  RecordAcknowledgement,
  ShareConsumerEvent,
} from './types';

/** What the share fetcher needs from the consumer around it. */
export interface ShareFetcherContext {
  readonly cluster: Cluster;
  readonly config: ResolvedShareConsumerConfig;
  readonly memberId: string;
  emit(event: ShareConsumerEvent): void;
  /** Records acquired by a ShareFetch, in offset order per partition. */
  received(records: AcquiredShareRecord[]): void;
  acknowledged(result: AcknowledgementResult): void;
  /** How many more records may be acquired now (0: fetch nothing). */
  room(): number;
  /** The partitions the share group assigned to this member now. */
  assignment(): readonly TopicPartition[];
  /** An acquisition lock may have run out: look at the records held. */
  checkLocks(): void;
  /** A broker's request is done: plan again. */
  idle(): void;
  /** The application settled (or renewed) a record. */
  acknowledgeRecord(record: AcquiredShareRecord, type: AcknowledgeType): void;
}

/** One acknowledgement waiting to be sent: a record's, or an offset without a record (a gap). */
interface PendingAck {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
  readonly type: AcknowledgeType | 'gap';
  readonly record: AcquiredShareRecord | null;
}

/** A share session with one broker (KIP-932): its epoch orders the requests, one in flight at a time. */
interface ShareSession {
  readonly broker: BrokerAddress;
  /** 0: none open; the next request opens one. */
  epoch: number;
  busy: boolean;
  /** Records the ShareFetch in flight may still acquire: part of the member's maxRecords until answered. */
  reserved: number;
  /** The partitions the session fetches from. */
  readonly partitions: Map<string, TopicPartition>;
}

/** One request to send. */
export interface PlannedShareRequest {
  readonly session: ShareSession;
  readonly acks: readonly PendingAck[];
  /** Partitions to fetch from (none: a ShareAcknowledge). */
  readonly fetch: readonly TopicPartition[];
  readonly forget: readonly TopicPartition[];
  readonly maxRecords: number;
  readonly ids: ReadonlyMap<string, string>;
  readonly names: ReadonlyMap<string, string>;
  /** Closing: the request ends the session (epoch -1). */
  readonly final: boolean;
}

const brokerKeyOf = (b: BrokerAddress): string => `${b.nodeId ?? -1}@${b.host}:${b.port}`;
const sessionErrors: ReadonlySet<number> = new Set([
  ErrorCode.SHARE_SESSION_NOT_FOUND,
  ErrorCode.INVALID_SHARE_SESSION_EPOCH,
]);
const FINAL_EPOCH = -1;

/**
 * The share fetch loop of one member: a share session per broker leading assigned partitions;
 * ShareFetch while there is room (acknowledgements piggybacked), ShareAcknowledge when there is
 * nothing to fetch but something to acknowledge (and always for renewals, which the broker
 * answers without fetching). Records come with their delivery count from the acquired ranges;
 * offsets of a range with no record (transaction markers) are acknowledged as gaps.
 */
export class ShareFetcher {
  private readonly sessions = new Map<string, ShareSession>();
  private readonly pending = new Map<string, PendingAck[]>();
  private readonly timers = new Subscription();
  private lockTimeoutMs = 30000;
  /** Which session the remainder of a split room goes to first: turns, so no broker is always last. */
  private turn = 0;
  /** Every record's way back to the consumer: one closure per fetcher, not one per record. */
  private readonly settle: Settle = (record, type) => this.ctx.acknowledgeRecord(record, type);

  constructor(private readonly ctx: ShareFetcherContext) {}

  /** Queues an acknowledgement for the session that acquired the record. */
  acknowledge(record: AcquiredShareRecord, type: AcknowledgeType): void {
    const { topic, partition, offset } = record;
    this.queue(record.brokerKey, { topic, partition, offset, type, record });
  }

  /** True while any request is in flight. */
  busy(): boolean {
    return [...this.sessions.values()].some((s) => s.busy);
  }

  /** The requests to send now, to idle brokers; `final` closes every open session. */
  plan$(final = false): Observable<PlannedShareRequest[]> {
    const topics = this.ctx.config.topics;
    return this.ctx.cluster.metadata(topics).pipe(
      take(1),
      map((metadata) => this.plan(metadata, final)),
    );
  }

  /** Sends one planned request; the outcome lands in `received`, `acknowledged` and events. Never errors. */
  run$(p: PlannedShareRequest): Observable<never> {
    const { session } = p;
    const fetching = p.fetch.length > 0;
    const epoch = p.final ? FINAL_EPOCH : session.epoch;
    const renew = p.acks.some((a) => a.type === 'renew');
    const topics = this.topicsBody(p);
    const request$: Observable<ResponseOf<typeof ShareFetch> | ResponseOf<typeof ShareAcknowledge>> = fetching
      ? this.ctx.cluster.request(
          session.broker,
          ShareFetch,
          {
            groupId: this.ctx.config.groupId,
            memberId: this.ctx.memberId,
            shareSessionEpoch: epoch,
            maxWaitMs: this.ctx.config.maxWaitMs,
            minBytes: 1,
            maxBytes: this.ctx.config.maxBytes,
            maxRecords: p.maxRecords,
            batchSize: p.maxRecords,
            // Record-limit mode (v2): maxRecords is a bound, not a hint rounded up to whole batches.
            shareAcquireMode: 1,
            isRenewAck: false,
            topics,
            forgottenTopicsData: this.byTopicId(p.forget, p.ids).map((t) => ({
              topicId: t.topicId,
              partitions: t.items.map((tp) => tp.partition),
            })),
          },
          { timeoutMs: this.ctx.config.requestTimeoutMs + this.ctx.config.maxWaitMs },
        )
      : this.ctx.cluster.request(session.broker, ShareAcknowledge, (version: number) => {
          if (renew && version < 2)
            throw new UnsupportedVersionError(
              `renew() needs ShareAcknowledge v2 (Kafka 4.2+); the broker speaks v${version}`,
            );
          return {
            groupId: this.ctx.config.groupId,
            memberId: this.ctx.memberId,
            shareSessionEpoch: epoch,
            isRenewAck: renew,
            topics,
          };
        });
    session.busy = true;
    session.reserved = fetching ? p.maxRecords : 0;
    return request$.pipe(
      tap((r) => this.answered(p, r, fetching ? 'ShareFetch' : 'ShareAcknowledge')),
      catchError((error: unknown) => {
        const e = asKafkaRxError(error);
        this.ctx.emit({ type: 'error', error: e });
        // The session's state is unknown now: the next request opens a new one.
        session.epoch = 0;
        session.partitions.clear();
        this.report(fetching ? 'ShareFetch' : 'ShareAcknowledge', p.acks, () => e);
        return timer(this.ctx.config.retryBackoffMs, this.ctx.cluster.clock).pipe(ignoreElements());
      }),
      ignoreElements(),
      finalize(() => {
        session.busy = false;
        session.reserved = 0;
        // Idle again: there may be more to fetch or to acknowledge.
        this.ctx.idle();
      }),
    );
  }

  /** Stops the lock timers. */
  stop(): void {
    this.timers.unsubscribe();
  }

  private queue(key: string, ack: PendingAck): void {
    const list = this.pending.get(key);
    if (list) list.push(ack);
    else this.pending.set(key, [ack]);
  }

  private plan(metadata: ClusterMetadata, final: boolean): PlannedShareRequest[] {
    const ids = new Map<string, string>();
    const names = new Map<string, string>();
    for (const t of metadata.topics.values()) {
      if (t.topicId === undefined) continue;
      ids.set(t.name, t.topicId);
      names.set(t.topicId, t.name);
    }
    // Assigned partitions by the broker leading them.
    const led = new Map<string, { broker: BrokerAddress; partitions: TopicPartition[] }>();
    for (const tp of this.ctx.assignment()) {
      const leader = metadata.topics
        .get(tp.topic)
        ?.partitions.find((p) => p.partition === tp.partition)?.leader;
      const broker = leader !== undefined && leader >= 0 ? metadata.brokers.get(leader) : undefined;
      if (broker === undefined || !ids.has(tp.topic)) continue;
      const key = brokerKeyOf(broker);
      const entry = led.get(key) ?? { broker, partitions: [] };
      entry.partitions.push(tp);
      led.set(key, entry);
    }
    for (const [key, { broker }] of led)
      if (!this.sessions.has(key))
        this.sessions.set(key, { broker, epoch: 0, busy: false, reserved: 0, partitions: new Map() });

    const idle: Array<{ key: string; session: ShareSession; acks: PendingAck[]; canFetch: boolean }> = [];
    for (const [key, session] of this.sessions) {
      if (session.busy) continue;
      let acks = this.pending.get(key) ?? [];
      if (acks.length > 0 && session.epoch === 0) {
        // Records of a session that is gone cannot be acknowledged in a new one: the broker releases them.
        this.report('ShareFetch', acks, () => protocolError(ErrorCode.SHARE_SESSION_NOT_FOUND)!);
        acks = [];
      }
      const canFetch = (led.get(key)?.partitions.length ?? 0) > 0 && !acks.some((a) => a.type === 'renew');
      idle.push({ key, session, acks, canFetch });
    }
    const rooms = this.splitRoom(
      final ? 0 : this.ctx.room(),
      idle.filter((s) => s.canFetch).map((s) => s.key),
    );
    const planned: PlannedShareRequest[] = [];
    for (const { key, session, acks, canFetch } of idle) {
      const assigned = led.get(key)?.partitions ?? [];
      const room = rooms.get(key) ?? 0;
      const fetch = canFetch && room > 0 ? assigned : [];
      const assignedKeys = new Set(assigned.map(tpKey));
      const forget = [...session.partitions.values()].filter((tp) => !assignedKeys.has(tpKey(tp)));
      const closing = final && session.epoch !== 0;
      if (fetch.length === 0 && acks.length === 0 && !closing) continue;
      this.pending.delete(key);
      planned.push({
        session,
        acks,
        fetch,
        forget: fetch.length > 0 ? forget : [],
        maxRecords: room,
        ids,
        names,
        final: closing,
      });
    }
    return planned;
  }

  /**
   * The member's room (maxRecords less what it holds) less what ShareFetches in flight may still
   * bring, shared among the sessions about to fetch: maxRecords bounds the member, not each broker.
   */
  private splitRoom(room: number, fetching: readonly string[]): Map<string, number> {
    let reserved = 0;
    for (const s of this.sessions.values()) reserved += s.reserved;
    const free = Math.max(0, room - reserved);
    const rooms = new Map<string, number>();
    if (fetching.length === 0) return rooms;
    const each = Math.floor(free / fetching.length);
    const first = this.turn++ % fetching.length;
    fetching.forEach((key, i) => {
      const order = (i - first + fetching.length) % fetching.length;
      rooms.set(key, each + (order < free % fetching.length ? 1 : 0));
    });
    return rooms;
  }

  /** The topics of a request: each partition to fetch from or to acknowledge, with its batches. */
  private topicsBody(p: PlannedShareRequest) {
    const parts = new Map<string, { tp: TopicPartition; acks: PendingAck[] }>();
    for (const tp of p.fetch) parts.set(tpKey(tp), { tp, acks: [] });
    for (const a of p.acks) {
      const key = tpKey(a);
      const entry = parts.get(key) ?? { tp: { topic: a.topic, partition: a.partition }, acks: [] };
      entry.acks.push(a);
      parts.set(key, entry);
    }
    const entries = [...parts.values()].map((e) => ({ ...e.tp, acks: e.acks }));
    return this.byTopicId(entries, p.ids).map((t) => ({
      topicId: t.topicId,
      partitions: t.items.map((e) => ({
        partitionIndex: e.partition,
        acknowledgementBatches: acknowledgementBatches(e.acks),
      })),
    }));
  }

  private byTopicId<T extends TopicPartition>(tps: readonly T[], ids: ReadonlyMap<string, string>) {
    return groupByTopic(tps).flatMap(({ topic, items }) => {
      const topicId = ids.get(topic);
      return topicId === undefined ? [] : [{ topicId, items }];
    });
  }

  private answered(
    p: PlannedShareRequest,
    r: ResponseOf<typeof ShareFetch> | ResponseOf<typeof ShareAcknowledge>,
    api: AcknowledgementResult['api'],
  ): void {
    const { session } = p;
    // What it acquired now counts in the member's buffer instead.
    session.reserved = 0;
    if (r.errorCode !== 0) {
      const error = protocolError(r.errorCode)!;
      this.ctx.emit({ type: 'error', error });
      if (sessionErrors.has(r.errorCode) || p.final) {
        session.epoch = 0;
        session.partitions.clear();
      }
      this.report(api, p.acks, () => error);
      return;
    }
    if (p.final) {
      session.epoch = 0;
      session.partitions.clear();
    } else {
      session.epoch = session.epoch >= 0x7fffffff ? 1 : session.epoch + 1;
      for (const tp of p.forget) session.partitions.delete(tpKey(tp));
      for (const tp of p.fetch) session.partitions.set(tpKey(tp), tp);
    }
    // ShareAcknowledge says it from v2 only.
    const lockMs = 'acquisitionLockTimeoutMs' in r ? (r.acquisitionLockTimeoutMs ?? 0) : 0;
    if (lockMs > 0) this.lockTimeoutMs = lockMs;

    const ackErrors = new Map<string, KafkaRxError>();
    const acquired: AcquiredShareRecord[] = [];
    let refresh = false;
    for (const t of r.responses) {
      const topic = p.names.get(t.topicId);
      if (topic === undefined) continue;
      for (const part of t.partitions) {
        const key = tpKey({ topic, partition: part.partitionIndex });
        const ackCode = 'acknowledgeErrorCode' in part ? part.acknowledgeErrorCode : part.errorCode;
        if (ackCode !== 0) ackErrors.set(key, protocolError(ackCode)!);
        if (part.errorCode !== 0) {
          if (errorCodeEntry(part.errorCode)?.invalidMetadata) refresh = true;
          this.ctx.emit({ type: 'error', error: protocolError(part.errorCode)! });
        }
        if ('acquiredRecords' in part && part.acquiredRecords.length > 0)
          acquired.push(...this.acquire(p, topic, part.partitionIndex, part.records, part.acquiredRecords));
      }
    }
    this.report(api, p.acks, (a) => ackErrors.get(tpKey(a)));
    if (api === 'ShareFetch')
      this.ctx.emit({
        type: 'fetch',
        broker: session.broker,
        partitions: p.fetch.length,
        records: acquired.length,
        bytes: 0,
      });
    if (acquired.length > 0) {
      this.lockTimer(acquired);
      this.ctx.received(acquired);
    }
    if (refresh)
      this.ctx.cluster
        .refreshMetadata(this.ctx.config.topics)
        .pipe(
          take(1),
          catchError(() => EMPTY),
        )
        .subscribe();
  }

  /** The records in the acquired ranges, with their delivery counts; offsets with none are queued as gaps. */
  private acquire(
    p: PlannedShareRequest,
    topic: string,
    partition: number,
    data: Buffer | null,
    ranges: ReadonlyArray<{ firstOffset: bigint; lastOffset: bigint; deliveryCount: number }>,
  ): AcquiredShareRecord[] {
    const key = brokerKeyOf(p.session.broker);
    const byOffset = new Map<bigint, AcquiredShareRecord>();
    const deliveries = (offset: bigint): number | undefined =>
      ranges.find((rg) => offset >= rg.firstOffset && offset <= rg.lastOffset)?.deliveryCount;
    const deadline = now(this.ctx.cluster.clock) + this.lockTimeoutMs;
    const deserializers = this.ctx.config.deserializers;
    const settle = this.settle;
    // One factory per response, not one closure per record.
    const acquireRecord: RecordFactory<AcquiredShareRecord | null> = (offset, timestamp, k, v, headers) => {
      const count = deliveries(offset);
      if (count === undefined) return null; // in the batch, but acquired by another member
      if (deserializers === undefined)
        return new AcquiredShareRecord(
          topic,
          partition,
          offset,
          timestamp,
          k,
          v,
          headers,
          count,
          key,
          settle,
        );
      return this.deserialized(
        deserializers,
        topic,
        partition,
        offset,
        timestamp,
        k,
        v,
        headers,
        count,
        key,
        settle,
      );
    };
    try {
      const fetched = readRecordBatches(data ?? Buffer.alloc(0));
      while (fetched.count > 0) {
        const record = fetched.next(acquireRecord);
        if (record !== null) {
          record.lockDeadline = deadline;
          byOffset.set(record.offset, record);
        }
      }
    } catch (error) {
      // Bad bytes: said, and the acquired offsets released for another try rather than skipped.
      this.ctx.emit({ type: 'error', error: asKafkaRxError(error) });
      for (const rg of ranges)
        for (let o = rg.firstOffset; o <= rg.lastOffset; o++)
          this.queue(key, { topic, partition, offset: o, type: 'release', record: null });
      return [];
    }
    for (const rg of ranges)
      for (let o = rg.firstOffset; o <= rg.lastOffset; o++)
        if (!byOffset.has(o)) this.queue(key, { topic, partition, offset: o, type: 'gap', record: null });
    return [...byOffset.values()];
  }

  /** A record through the deserializers; one they refuse comes as fetched with `error`, and is announced. */
  private deserialized(
    deserializers: AnyDeserializers,
    topic: string,
    partition: number,
    offset: bigint,
    timestamp: number,
    k: Buffer | null,
    v: Buffer | null,
    headers: Array<[string, Buffer | null]>,
    count: number,
    brokerKey: string,
    settle: Settle,
  ): AcquiredShareRecord {
    const parts = deserializeParts(deserializers, topic, partition, k, v, headers);
    if (parts instanceof DeserializationError) {
      this.ctx.emit({ type: 'deserialization-error', topic, partition, offset, error: parts });
      const args = [topic, partition, offset, timestamp, k, v, headers, count, brokerKey, settle] as const;
      return new UndeserializedAcquiredShareRecord(...args, parts);
    }
    const record = new AcquiredShareRecord(
      topic,
      partition,
      offset,
      timestamp,
      parts.key,
      parts.value,
      parts.headers,
      count,
      brokerKey,
      settle,
    );
    // Inside the consumer every record is alike, whatever its deserializers made of it.
    return keepFetchedParts(record, { key: k, value: v, headers }) as unknown as AcquiredShareRecord;
  }

  /** Checks the records' locks when they run out (a renewal moves the deadline; the check then finds it later). */
  private lockTimer(records: readonly AcquiredShareRecord[]): void {
    // One millisecond late rather than early: a timer may fire within the millisecond it was due.
    const due =
      Math.max(0, Math.min(...records.map((r) => r.lockDeadline)) - now(this.ctx.cluster.clock)) + 1;
    this.timers.add(timer(due, this.ctx.cluster.clock).subscribe(() => this.ctx.checkLocks()));
  }

  /** Emits the outcome of a batch on acknowledgements$ (gaps are the client's business, left out). */
  private report(
    api: AcknowledgementResult['api'],
    acks: readonly PendingAck[],
    errorOf: (ack: PendingAck) => KafkaRxError | undefined,
  ): void {
    const records: RecordAcknowledgement[] = [];
    for (const a of acks) {
      if (a.type === 'gap' || a.record === null) continue;
      const error = errorOf(a);
      if (a.type === 'renew' && error === undefined) {
        a.record.lockDeadline = now(this.ctx.cluster.clock) + this.lockTimeoutMs;
        this.lockTimer([a.record]);
      }
      records.push({
        topic: a.topic,
        partition: a.partition,
        offset: a.offset,
        type: a.type,
        ...(error ? { error } : {}),
      });
    }
    if (records.length > 0) this.ctx.acknowledged({ api, records });
  }
}
