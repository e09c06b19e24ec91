import {
  ignoreElements,
  map,
  merge,
  mergeMap,
  NEVER,
  of,
  share,
  timer,
  type Observable,
  type OperatorFunction,
  type SchedulerLike,
} from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { createConsumer } from '../consumer/create-consumer';
import type { ConsumerConfig } from '../consumer/config';
import type { CommitResult, Consumer, ConsumerRecord, RebalanceEvent } from '../consumer/types';
import { createMemoryTransport } from '../transport/memory-transport';
import type { FakeCluster, FakeRecordInput } from './fake-cluster';

/** A record for `produceAt`: a value alone, or a record with key, headers and partition. */
export type MarbleRecord = string | (FakeRecordInput & { readonly partition?: number });

/** What `produceAt` emits for each append: where the record landed. */
export interface Appended {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
}

/**
 * Appends records to a topic of the fake cluster at the frames of a marble diagram, inside
 * `TestScheduler.run`. Each value is appended as one batch (to `partition`, 0 by default, unless
 * the record names its own), with the frame as its timestamp. The returned Observable is cold:
 * subscribe to it (or hand it to `expectObservable`) to start; it emits where each record landed.
 *
 * @example
 * produceAt(cluster, '--a 4ms b|', { a: 'first', b: { key: 'k', value: 'second', partition: 1 } }, { topic: 'orders' }).subscribe();
 */
export function produceAt(
  cluster: FakeCluster,
  marbles: string,
  values: Readonly<Record<string, MarbleRecord>>,
  target: { readonly topic: string; readonly partition?: number },
  scheduler: SchedulerLike = cluster.clock,
): Observable<Appended> {
  const messages = TestScheduler.parseMarbles(marbles, values, undefined, undefined, true);
  const appends = messages
    .filter((m) => m.notification.kind === 'N')
    .map((m) =>
      timer(m.frame, scheduler).pipe(
        map((): Appended => {
          const value = (m.notification as { value: MarbleRecord }).value;
          const record: FakeRecordInput & { partition?: number } =
            typeof value === 'string' ? { value } : value;
          const partition = record.partition ?? target.partition ?? 0;
          const offset = cluster.append(target.topic, partition, [
            { ...record, timestamp: record.timestamp ?? scheduler.now() },
          ]);
          return { topic: target.topic, partition, offset };
        }),
      ),
    );
  const end = messages.find((m) => m.notification.kind === 'C');
  return merge(...appends, end === undefined ? NEVER : timer(end.frame, scheduler).pipe(ignoreElements()));
}

/** One member of a group run by `runConsumerGroup`. */
export interface GroupMemberRun {
  readonly index: number;
  readonly consumer: Consumer;
  /** Loses every request of this member from now on, as a frozen process or a cut network would. */
  stall(): void;
  /** Lets requests through again. */
  unstall(): void;
}

/** Something a member of a group run did, tagged with the member's index. */
export interface Tagged<T> {
  readonly member: number;
  readonly value: T;
}

export interface ConsumerGroupRun {
  readonly members: readonly GroupMemberRun[];
  /**
   * Every member's records, tagged. Subscribing starts each member at its `startAt` frame
   * (by subscribing to its `messages$`); unsubscribing stops them.
   */
  readonly messages$: Observable<Tagged<ConsumerRecord>>;
  /** Every member's completed commits, tagged (hot). */
  readonly commits$: Observable<Tagged<CommitResult>>;
  /** Every member's assignments and revocations, tagged (hot). */
  readonly rebalances$: Observable<Tagged<RebalanceEvent>>;
}

export interface ConsumerGroupOptions {
  /** How many members. */
  readonly members: number;
  /** The consumer configuration every member shares; brokers, transport and clock are filled in. */
  readonly config: Omit<ConsumerConfig, 'brokers' | 'transport' | 'clock'>;
  /** Frame at which each member starts; default all at 0. */
  readonly startAt?: readonly number[];
  /** Default: the cluster's clock. */
  readonly scheduler?: SchedulerLike;
}

/**
 * Runs a consumer group of `members` kafka-rx consumers against the fake cluster through the
 * memory transport, so that a marble test sees joins, rebalances, session timeouts and commits
 * at exact frames. Each member has its own transport (its own connections) and client id
 * `member-<i>`, and can be stalled.
 */
export function runConsumerGroup(cluster: FakeCluster, options: ConsumerGroupOptions): ConsumerGroupRun {
  const scheduler = options.scheduler ?? cluster.clock;
  const members = Array.from({ length: options.members }, (_, index): GroupMemberRun => {
    let stalled = false;
    const transport = createMemoryTransport({
      clock: scheduler,
      clientId: `member-${index}`,
      handler: (broker, frame) => (stalled ? NEVER : cluster.handler(broker, frame)),
    });
    const consumer = createConsumer({
      clientId: `member-${index}`,
      ...options.config,
      brokers: cluster.bootstrap,
      transport,
      clock: scheduler,
    });
    return {
      index,
      consumer,
      stall: () => void (stalled = true),
      unstall: () => void (stalled = false),
    };
  });
  const tag =
    <T>(member: number): OperatorFunction<T, Tagged<T>> =>
    (source) =>
      source.pipe(map((value) => ({ member, value })));
  const messages$ = merge(
    ...members.map((m) =>
      timer(options.startAt?.[m.index] ?? 0, scheduler).pipe(
        mergeMap(() => m.consumer.messages$.pipe(tag<ConsumerRecord>(m.index))),
      ),
    ),
  ).pipe(share());
  return {
    members,
    messages$,
    commits$: merge(...members.map((m) => m.consumer.commits$.pipe(tag<CommitResult>(m.index)))),
    rebalances$: merge(...members.map((m) => m.consumer.rebalances$.pipe(tag<RebalanceEvent>(m.index)))),
  };
}

/** `topic-partition@offset`, joined by commas, sorted: a commit as a marble value. */
export function offsetsText(
  offsets: ReadonlyArray<{ topic: string; partition: number; offset: bigint }>,
): string {
  return offsets
    .map((o) => `${o.topic}-${o.partition}@${o.offset}`)
    .sort()
    .join(',');
}

/** `topic-partition`, joined by commas, sorted. */
export function partitionsText(partitions: ReadonlyArray<{ topic: string; partition: number }>): string {
  return partitions
    .map((p) => `${p.topic}-${p.partition}`)
    .sort()
    .join(',');
}

/**
 * Maps commits to marble-friendly strings: `<trigger> <topic-partition@offset,...>`, with
 * ` !<error name>` when the commit failed. E.g. `auto orders-0@3,orders-1@5`.
 */
export function commitsAsText(): OperatorFunction<CommitResult, string> {
  return map(
    (c) => `${c.trigger} ${offsetsText(c.offsets)}${c.error === undefined ? '' : ` !${c.error.name}`}`,
  );
}

/** Maps rebalance events to marble-friendly strings: `assigned orders-0,orders-1`. */
export function rebalancesAsText(): OperatorFunction<RebalanceEvent, string> {
  return map((e) => `${e.type} ${partitionsText(e.partitions)}`);
}

/** Applies `operator` to the values of tagged events, prefixing the member index: `1: assigned orders-0`. */
export function taggedAsText<T>(operator: OperatorFunction<T, string>): OperatorFunction<Tagged<T>, string> {
  return (source) =>
    source.pipe(
      mergeMap((tagged) =>
        of(tagged.value).pipe(
          operator,
          map((text) => `${tagged.member}: ${text}`),
        ),
      ),
    );
}
