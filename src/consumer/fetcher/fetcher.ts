import {
  catchError,
  concat,
  defer,
  EMPTY,
  finalize,
  from,
  ignoreElements,
  map,
  mergeMap,
  type Observable,
  Subject,
  take,
  tap,
  timer,
} from 'rxjs';
import type { Cluster, ClusterMetadata } from '../../cluster/cluster';
import { ErrorCode, errorCodeEntry, protocolError } from '../../protocol/errors';
import type { RequestOf, ResponseOf } from '../../protocol/spec-types';
import { Fetch } from '../../protocol/specs';
import { readRecordBatches, type FetchedRecords } from '../../protocol/records';
import { channels } from '../../diagnostics/channels';
import { payloads } from '../../diagnostics/payloads';
import { traced } from '../../diagnostics/traced';
import type { BrokerAddress } from '../../transport/transport';
import type { ResolvedConsumerConfig } from '../config';
import { asKafkaRxError } from '../errors';
import type { PartitionRegistry } from '../offsets/partition-registry';
import type { PartitionState } from '../offsets/partition-state';
import { groupByTopic, tpKey } from '../topic-partition';
import type { ConsumerEvent } from '../types';
import { FetchSession, type FetchPartition } from './fetch-session';

/** What the fetcher needs from the consumer around it. */
export interface FetcherContext {
  readonly cluster: Cluster;
  readonly config: ResolvedConsumerConfig;
  readonly registry: PartitionRegistry;
  emit(event: ConsumerEvent): void;
  /** The partition's fetch offset is out of range: reset it by the configured policy. */
  resetOffset(partition: PartitionState, reason: string): void;
}

/** One Fetch request to send: a broker and the partitions it leads, with their state when planned. */
export interface PlannedFetch {
  readonly broker: BrokerAddress;
  readonly key: string;
  readonly partitions: ReadonlyArray<{ state: PartitionState; fetchOffset: bigint; epoch: number }>;
  readonly topicIds: ReadonlyMap<string, string>;
  readonly topicNames: ReadonlyMap<string, string>;
}

/** What a Fetch response left to do once the next Fetch is out: records to deliver, then the `fetch` event. */
interface HandledResponse {
  readonly fetched: Array<{ readonly state: PartitionState; readonly records: FetchedRecords }>;
  event: Extract<ConsumerEvent, { type: 'fetch' }> | null;
}

const brokerKey = (b: BrokerAddress): string => `${b.nodeId ?? -1}@${b.host}:${b.port}`;
const ZERO_UUID = '00000000-0000-0000-0000-000000000000';

/**
 * Fetches on demand, per broker: a fetch round groups every fetchable partition (position known,
 * not paused, buffer below its high-water mark, not in flight) by leader and sends one Fetch to each
 * broker that has none in flight. Each broker keeps a fetch session (KIP-227) where it supports one.
 */
export class Fetcher {
  private readonly busy = new Set<string>();
  private readonly sessions = new Map<string, FetchSession>();
  private readonly idle = new Subject<void>();
  /**
   * Emits when a broker is free again (its Fetch and any backoff after it are over), or a plan
   * that failed for want of metadata may be tried again: what waited for it may be fetched now.
   */
  readonly idle$: Observable<void> = this.idle.asObservable();

  constructor(private readonly ctx: FetcherContext) {}

  /** Plans a fetch round: emits one PlannedFetch per idle broker with fetchable partitions, then completes. */
  plan$(): Observable<PlannedFetch> {
    return defer(() => {
      const candidates = this.ctx.registry.all().filter((p) => p.isFetchable());
      if (candidates.length === 0) return EMPTY;
      const topics = [...new Set(candidates.map((p) => p.topic))];
      return this.ctx.cluster.metadata(topics).pipe(
        take(1),
        map((metadata) => this.group(metadata, candidates)),
        catchError((error: unknown) => {
          this.ctx.emit({ type: 'error', error: asKafkaRxError(error) });
          return timer(this.ctx.config.retryBackoffMs, this.ctx.cluster.clock).pipe(
            tap(() => this.idle.next()),
            ignoreElements(),
          );
        }),
        mergeMap((plans) => from(plans)),
      );
    });
  }

  private group(metadata: ClusterMetadata, candidates: PartitionState[]): PlannedFetch[] {
    const byBroker = new Map<string, { broker: BrokerAddress; states: PartitionState[] }>();
    let leaderless = false;
    for (const state of candidates) {
      // Re-check: an earlier round may have taken the partition while metadata was on its way.
      if (!state.isFetchable()) continue;
      const leader =
        metadata.topics.get(state.topic)?.partitions.find((p) => p.partition === state.partition)?.leader ??
        -1;
      const broker = leader >= 0 ? metadata.brokers.get(leader) : undefined;
      if (!broker) {
        leaderless = true;
        continue;
      }
      const address = { ...broker, nodeId: leader };
      const key = brokerKey(address);
      if (this.busy.has(key)) continue;
      const entry = byBroker.get(key) ?? { broker: address, states: [] };
      entry.states.push(state);
      byBroker.set(key, entry);
    }
    if (leaderless)
      this.ctx.cluster.refreshMetadata(candidates.map((c) => c.topic)).subscribe({ error: () => undefined });
    const topicIds = new Map<string, string>();
    const topicNames = new Map<string, string>();
    for (const [name, t] of metadata.topics) {
      if (t.topicId && t.topicId !== ZERO_UUID) {
        topicIds.set(name, t.topicId);
        topicNames.set(t.topicId, name);
      }
    }
    const plans: PlannedFetch[] = [];
    for (const [key, { broker, states }] of byBroker) {
      this.busy.add(key);
      for (const s of states) s.fetching = true;
      plans.push({
        broker,
        key,
        partitions: states.map((state) => ({
          state,
          fetchOffset: state.position as bigint,
          epoch: state.epoch,
        })),
        topicIds,
        topicNames,
      });
    }
    return plans;
  }

  /** Sends one planned Fetch and hands its records to the partition buffers; completes when done (after a backoff on errors). */
  run$(plan: PlannedFetch): Observable<never> {
    return defer(() => {
      const { config, cluster } = this.ctx;
      const session = this.sessions.get(plan.key) ?? new FetchSession();
      this.sessions.set(plan.key, session);
      let version = -1;
      let answered = false;
      let backoff = false;
      /** What the response brought (for the `kafka-rx:fetch` channel). */
      const received = { records: 0, bytes: 0 };
      // Freed at most once: early (answered, no backoff) so that the next Fetch overlaps delivery,
      // or when the request ends; freeing again would free a later Fetch's partitions or broker.
      let partitionsFreed = false;
      const freePartitions = (): void => {
        if (partitionsFreed) return;
        partitionsFreed = true;
        for (const p of plan.partitions) p.state.fetching = false;
      };
      let brokerFreed = false;
      const freeBroker = (): void => {
        if (brokerFreed) return;
        brokerFreed = true;
        this.busy.delete(plan.key);
        this.idle.next();
      };
      const wanted: FetchPartition[] = plan.partitions.map((p) => ({
        topic: p.state.topic,
        partition: p.state.partition,
        fetchOffset: p.fetchOffset,
        maxBytes: config.maxPartitionBytes,
      }));
      const body = (v: number): RequestOf<typeof Fetch> => {
        version = v;
        const request = session.next(wanted, v);
        const topicId = (topic: string) => plan.topicIds.get(topic) ?? ZERO_UUID;
        return {
          replicaId: -1,
          maxWaitMs: config.maxWaitMs,
          minBytes: config.minBytes,
          maxBytes: config.maxBytes,
          isolationLevel: config.isolationLevel,
          sessionId: request.sessionId,
          sessionEpoch: request.sessionEpoch,
          topics: groupByTopic(request.partitions).map(({ topic, items }) => ({
            topic,
            topicId: topicId(topic),
            partitions: items.map((p) => ({
              partition: p.partition,
              currentLeaderEpoch: -1,
              fetchOffset: p.fetchOffset,
              lastFetchedEpoch: -1,
              logStartOffset: -1n,
              partitionMaxBytes: p.maxBytes,
            })),
          })),
          forgottenTopicsData: groupByTopic(request.forgotten).map(({ topic, items }) => ({
            topic,
            topicId: topicId(topic),
            partitions: items.map((p) => p.partition),
          })),
          rackId: '',
        };
      };
      const request$ = cluster
        .request(plan.broker, Fetch, body, { timeoutMs: config.maxWaitMs + 30000 })
        .pipe(
          tap((response) => {
            answered = true;
            const handled: HandledResponse = { fetched: [], event: null };
            backoff = this.handleResponse(plan, session, version, response, handled);
            // The next Fetch (of partitions with room left in their buffers) goes out before these
            // records are delivered: the broker reads while the application works.
            if (!backoff) {
              freePartitions();
              freeBroker();
            }
            for (const { state, records } of handled.fetched) state.deliverFetched(records);
            // After delivery: lag$ reads the partitions' delivery positions on this event.
            if (handled.event) {
              received.records = handled.event.records;
              received.bytes = handled.event.bytes;
              this.ctx.emit(handled.event);
            }
          }),
          traced(
            channels.fetch,
            () => payloads.fetch(config.clientId, config.groupId, plan.broker, plan.partitions.length),
            (trace) => {
              trace.records = received.records;
              trace.bytes = received.bytes;
            },
          ),
          ignoreElements(),
          catchError((error: unknown) => {
            answered = true;
            session.reset();
            backoff = true;
            this.ctx.emit({ type: 'error', error: asKafkaRxError(error) });
            return EMPTY;
          }),
          finalize(() => {
            if (!answered) session.reset();
            freePartitions();
          }),
        );
      // A broker that failed waits out the backoff before its next Fetch; the others go on at once.
      return concat(
        request$,
        defer(() => (backoff ? timer(config.retryBackoffMs, cluster.clock) : EMPTY)),
      ).pipe(ignoreElements(), finalize(freeBroker));
    });
  }

  /**
   * Buffers the response's records in their partitions and adds them to `handled`, with the
   * `fetch` event, for the caller to deliver and emit. Returns true when the broker should be
   * left alone for a backoff.
   */
  private handleResponse(
    plan: PlannedFetch,
    session: FetchSession,
    version: number,
    response: ResponseOf<typeof Fetch>,
    handled: HandledResponse,
  ): boolean {
    const topLevel = response.errorCode ?? 0;
    if (!session.handleResponse(topLevel, response.sessionId ?? 0)) return false;
    if (topLevel !== 0) {
      this.ctx.emit({ type: 'error', error: protocolError(topLevel)! });
      return true;
    }
    const planned = new Map(plan.partitions.map((p) => [tpKey(p.state), p]));
    let backoff = false;
    let refresh = false;
    let records = 0;
    let bytes = 0;
    let partitions = 0;
    for (const t of response.responses ?? []) {
      // Topics are named by id from v13, by name before.
      const topic = version >= 13 ? plan.topicNames.get(t.topicId ?? '') : t.topic;
      if (topic === undefined) continue;
      for (const p of t.partitions) {
        const state = this.ctx.registry.get({ topic, partition: p.partitionIndex });
        const sent = state ? planned.get(tpKey(state)) : undefined;
        // A partition revoked, sought, or not in this request (an incremental response names only those with news).
        if (
          !state ||
          !sent ||
          state.revoked ||
          state.epoch !== sent.epoch ||
          state.position !== sent.fetchOffset
        )
          continue;
        partitions++;
        const code = p.errorCode;
        if (code === 0) {
          // For lag$: read_committed consumers can go no further than the last stable offset.
          state.endOffset =
            this.ctx.config.isolationLevel === 1 && p.lastStableOffset >= 0n
              ? p.lastStableOffset
              : p.highWatermark;
          const data = p.records;
          if (data === null || data.length === 0) continue;
          try {
            // Checked now (CRC, framing), turned into records only as they are delivered.
            const read = readRecordBatches(data, {
              isolationLevel: this.ctx.config.isolationLevel === 1 ? 'read_committed' : 'read_uncommitted',
              abortedTransactions: p.abortedTransactions ?? [],
              fromOffset: sent.fetchOffset,
            });
            const next = read.nextOffset ?? sent.fetchOffset;
            records += read.count;
            bytes += data.length;
            if (state.buffer(read, next > sent.fetchOffset ? next : sent.fetchOffset, sent.epoch))
              handled.fetched.push({ state, records: read });
          } catch (error) {
            // Bad bytes: this partition's stream errors rather than skip or invent records.
            const e = asKafkaRxError(error);
            this.ctx.emit({ type: 'error', error: e });
            state.fail(e);
          }
        } else if (code === ErrorCode.OFFSET_OUT_OF_RANGE) {
          this.ctx.resetOffset(state, 'OFFSET_OUT_OF_RANGE');
        } else {
          const entry = errorCodeEntry(code);
          if (entry?.invalidMetadata) refresh = true;
          this.ctx.emit({ type: 'error', error: protocolError(code)! });
          backoff = true;
        }
      }
    }
    if (refresh) {
      this.ctx.cluster
        .refreshMetadata([...new Set(plan.partitions.map((p) => p.state.topic))])
        .subscribe({ error: () => undefined });
    }
    handled.event = { type: 'fetch', broker: plan.broker, partitions, records, bytes };
    return backoff;
  }
}
