import {
  BehaviorSubject,
  catchError,
  concatWith,
  defer,
  distinctUntilChanged,
  EMPTY,
  exhaustMap,
  filter,
  finalize,
  ignoreElements,
  map,
  merge,
  mergeMap,
  Observable,
  observeOn,
  of,
  queueScheduler,
  scan,
  share,
  Subject,
  Subscription,
  switchMap,
  take,
  tap,
} from 'rxjs';
import { randomUUID } from 'node:crypto';
import type { Cluster } from '../cluster/cluster';
import { coordinatorMoved } from '../cluster/errors';
import { backoff$ } from './backoff';
import type { ResolvedConsumerConfig } from './config';
import type { ConsumerGroupEvent } from './consumer-group/events';
import { consumerGroupHeartbeat$, consumerGroupLeave$ } from './consumer-group/heartbeat';
import { consumerGroupReducer } from './consumer-group/reducer';
import { initialConsumerGroup, isConsumerGroupState } from './consumer-group/state';
import { TopicIds } from './consumer-group/topic-ids';
import { AlreadySubscribedError, asKafkaRxError, unknownTopic } from './errors';
import { exhaustMapWithTrailing } from './exhaust-map-with-trailing';
import { Fetcher } from './fetcher/fetcher';
import { heartbeat$, joinGroup$, leaveGroup$, syncGroup$ } from './group/coordinator-requests';
import { membershipReducer } from './membership/reducer';
import { initialMembership, isLeader, type MembershipState } from './membership/state';
import type { Committer } from './offsets/committer';
import type { PartitionRegistry } from './offsets/partition-registry';
import type { PartitionState } from './offsets/partition-state';
import { resetPositions$, resolvePositions$ } from './offsets/positions';
import type { OffsetFetchMember } from './group/requests';
import { patternChanged$ } from './pattern-changed';
import { partitionCounts, partitionsChanged$, type PartitionCounts } from './partitions-changed';
import { pollTimeout$ } from './poll-timeout';
import { sessionTimeout$ } from './session-timeout';
import { ticks } from './ticks';
import { sortPartitions, subtractPartitions } from './topic-partition';
import type { ConsumerEvent, ConsumerRecord, PartitionStream, RebalanceEvent } from './types';

export interface GroupMemberContext {
  readonly cluster: Cluster;
  readonly config: ResolvedConsumerConfig;
  readonly registry: PartitionRegistry;
  readonly committer: Committer;
  readonly rebalances: Subject<RebalanceEvent>;
  emit(event: ConsumerEvent): void;
}

/** Either protocol's reducer, by the state's kind: the classic one never sees a ConsumerGroupHeartbeat answer. */
function reduce(state: MembershipState, event: ConsumerGroupEvent): MembershipState {
  if (isConsumerGroupState(state)) return consumerGroupReducer(state, event);
  return event.type === 'heartbeat-answered' ? state : membershipReducer(state, event);
}

/** Topics Kafka keeps for itself; a pattern never subscribes to them (as exclude.internal.topics). */
const INTERNAL_TOPICS = new Set(['__consumer_offsets', '__transaction_state']);

/**
 * One membership of the consumer group, from subscribe to close: the reducer driven by `scan`,
 * the effects of each phase (JoinGroup, SyncGroup, giving partitions up, LeaveGroup), and, while
 * stable, the tick stream (heartbeats, auto-commits, fetches) with the session timeout and the
 * maxPollIntervalMs guard. `partitions$` emits one PartitionStream per assigned partition.
 */
export class GroupMember {
  private readonly events = new Subject<ConsumerGroupEvent>();
  private readonly membership: BehaviorSubject<MembershipState>;
  /** The membership state as it changes, the current one first. */
  readonly state$: Observable<MembershipState>;
  private readonly streams = new Subject<PartitionStream>();
  private readonly heartbeatOk = new Subject<void>();
  private readonly resets = new Subject<{ state: PartitionState; reason: string }>();
  private readonly subscription = new Subscription();
  private readonly fetcher: Fetcher;
  private subscribedTopics: readonly string[] = [];
  /** As leader, the partition counts of this generation's assignment. */
  private assignedCounts: PartitionCounts | null = null;
  /** Consumer group protocol (KIP-848) only: the coordinator assigns by topic id. */
  private readonly topicIds: TopicIds | null;
  private readonly closed: Promise<void>;
  private resolveClosed!: () => void;
  private finished = false;

  constructor(private readonly ctx: GroupMemberContext) {
    const cooperative = ctx.config.assignors.every((a) => a.rebalanceProtocol === 'cooperative');
    const consumerProtocol = ctx.config.groupProtocol === 'consumer';
    this.membership = new BehaviorSubject<MembershipState>(
      consumerProtocol
        ? // KIP-1082: the member id is the client's, one per membership.
          initialConsumerGroup({ memberId: randomUUID(), groupInstanceId: ctx.config.groupInstanceId })
        : initialMembership({ groupInstanceId: ctx.config.groupInstanceId, cooperative }),
    );
    this.state$ = this.membership.asObservable();
    this.topicIds = consumerProtocol
      ? new TopicIds(ctx.cluster, ctx.config.topics ?? (ctx.config.topicPattern as RegExp))
      : null;
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
    this.fetcher = new Fetcher({
      cluster: ctx.cluster,
      config: ctx.config,
      registry: ctx.registry,
      emit: (e) => ctx.emit(e),
      resetOffset: (state, reason) => this.resets.next({ state, reason }),
    });
  }

  /** The membership state now. */
  get state(): MembershipState {
    return this.membership.value;
  }

  /**
   * Partition streams as partitions are assigned; completes when the member closes, errors when
   * it closes on a fatal error. Hot: subscribe before `start()`.
   */
  get partitions$(): Observable<PartitionStream> {
    return this.streams.asObservable();
  }

  /** Starts the membership: joins the group. */
  start(): void {
    const { config, registry } = this.ctx;
    const clock = this.ctx.cluster.clock;
    this.subscription.add(
      this.events.pipe(observeOn(queueScheduler), scan(reduce, this.membership.value)).subscribe((s) => {
        if (s !== this.membership.value) this.membership.next(s);
      }),
    );

    // The tick stream, subscribed before the phase effects so that demand raised on entering
    // stable finds the fetch source listening. Fetch when a partition may be fetched or a broker is free.
    const demand$ = merge(registry.demand$, this.fetcher.idle$);
    const tick$ = ticks(this.state$, config, demand$, clock).pipe(share());
    this.subscription.add(
      merge(
        tick$.pipe(
          filter((t) => t.type === 'heartbeat'),
          exhaustMap((t) => this.heartbeat$(t.membership)),
        ),
        tick$.pipe(
          filter((t) => t.type === 'commit'),
          // A tick while an auto-commit is still under way (e.g. waiting for a new coordinator) is
          // skipped: the next one commits the same positions or later ones, without a burst of stale ones.
          exhaustMap(() => this.ctx.committer.commit$('auto', null, null, this.commitSource())),
        ),
        tick$.pipe(
          filter((t) => t.type === 'fetch'),
          // Demand raised while a round is planned is a round of its own, not dropped.
          exhaustMapWithTrailing(() => this.fetcher.plan$(), clock),
          mergeMap((plan) => this.fetcher.run$(plan)),
        ),
      ).subscribe(),
    );

    this.subscription.add(
      this.state$
        .pipe(
          distinctUntilChanged((a, b) => a.phase === b.phase && a.seq === b.seq),
          tap((s) => this.ctx.emit({ type: 'membership', phase: s.phase, reason: s.reason })),
          switchMap((s) => this.effects(s)),
        )
        .subscribe((event) => this.dispatch(event)),
    );
    this.dispatch({ type: 'subscribe' });
  }

  dispatch(event: ConsumerGroupEvent): void {
    this.events.next(event);
  }

  /** What commits read: this member's partitions and generation. */
  commitSource() {
    return { registry: this.ctx.registry, membership: () => this.membership.value };
  }

  /** Commits, gives partitions up, leaves (dynamic members) and stops; resolves when done. */
  close(): Promise<void> {
    this.dispatch({ type: 'close' });
    return this.closed;
  }

  /**
   * Stops at once, without waiting for the commit or LeaveGroup under way (close took longer
   * than closeTimeoutMs): partitions are revoked, streams complete, every timer is released.
   */
  abort(): void {
    this.finish({ ...this.membership.value, error: null });
  }

  /** One heartbeat of either protocol, its outcome dispatched. */
  private heartbeat$(tick: MembershipState): Observable<unknown> {
    // The consumer group protocol sends the epoch and partitions of now, not of when the timer started.
    const now = this.membership.value;
    if (this.topicIds !== null && isConsumerGroupState(now)) {
      return consumerGroupHeartbeat$(this.ctx, now, this.topicIds).pipe(
        tap((event) => {
          if (event.type === 'heartbeat-answered') this.heartbeatOk.next();
          this.dispatch(event);
        }),
        // The assignment changed while this one was in flight (the prompt tick found it busy):
        // acknowledge at once rather than one interval later.
        concatWith(
          defer(() => {
            const after = this.membership.value;
            return after.phase === 'stable' && after.assignment !== now.assignment
              ? this.heartbeat$(after)
              : EMPTY;
          }),
        ),
      );
    }
    return heartbeat$(this.ctx, tick).pipe(
      tap((code) => {
        if (code === 0) this.heartbeatOk.next();
        else if (!coordinatorMoved(code)) this.dispatch({ type: 'heartbeat-failed', errorCode: code });
      }),
    );
  }

  /** Consumer group protocol: OffsetFetch names the member and its epoch of now (a retry sends the newest). */
  private offsetFetchMember(): OffsetFetchMember | null {
    const s = this.membership.value;
    return isConsumerGroupState(s) && s.generationId > 0
      ? { memberId: s.memberId, memberEpoch: s.generationId }
      : null;
  }

  /** Leaving the group: LeaveGroup, or a ConsumerGroupHeartbeat with epoch -1 (-2 static). */
  private leave$(s: MembershipState): Observable<never> {
    return isConsumerGroupState(s)
      ? consumerGroupLeave$(this.ctx, s, s.reason)
      : leaveGroup$(this.ctx, s.memberId, s.reason);
  }

  private effects(s: MembershipState): Observable<ConsumerGroupEvent> {
    switch (s.phase) {
      case 'joining':
        if (this.topicIds !== null && isConsumerGroupState(s)) {
          const topicIds = this.topicIds;
          return backoff$(s.attempt, this.ctx.config, this.ctx.cluster.clock).pipe(
            switchMap(() => consumerGroupHeartbeat$(this.ctx, s, topicIds)),
          );
        }
        return backoff$(s.attempt, this.ctx.config, this.ctx.cluster.clock).pipe(
          switchMap(() => this.topics$()),
          switchMap((topics) => {
            this.subscribedTopics = topics;
            return joinGroup$(this.ctx, s, topics);
          }),
          // A pattern's metadata lookup can fail too (joinGroup$ catches its own).
          catchError((error: unknown) =>
            of<ConsumerGroupEvent>({ type: 'request-failed', error: asKafkaRxError(error) }),
          ),
        );
      case 'syncing':
        this.assignedCounts = null;
        return syncGroup$(this.ctx, s, (counts) => (this.assignedCounts = counts));
      case 'stable':
        return this.stable$(s);
      case 'rebalancing':
        return this.giveUp$(s);
      case 'unjoined':
        if (!s.leaveGroup) return EMPTY;
        return merge(
          this.leave$(s),
          // Rejoin as soon as the application takes a record again.
          this.ctx.registry.taken$.pipe(
            take(1),
            map((): ConsumerGroupEvent => ({ type: 'poll-resumed' })),
          ),
        );
      case 'closed':
        return (s.leaveGroup ? this.leave$(s) : EMPTY).pipe(finalize(() => this.finish(s)));
    }
  }

  /** The subscribed topics: the configured list, or those matching the pattern now. */
  private topics$(): Observable<readonly string[]> {
    const { config, cluster } = this.ctx;
    if (config.topics) return of(config.topics);
    const pattern = config.topicPattern as RegExp;
    return cluster.metadata(pattern).pipe(
      take(1),
      map((metadata) =>
        [...metadata.topics.keys()].filter((t) => !INTERNAL_TOPICS.has(t) && t.search(pattern) >= 0).sort(),
      ),
    );
  }

  private stable$(s: MembershipState): Observable<ConsumerGroupEvent> {
    const { config, registry, cluster } = this.ctx;
    const clock = cluster.clock;
    return merge(
      // New partitions: a stream each, then their start positions.
      defer(() => {
        const owned = registry.all();
        const added = sortPartitions(subtractPartitions(s.assignment, owned));
        const states = added.map((tp) => registry.add(tp));
        for (const state of states) this.streams.next(this.partitionStream(state));
        if (added.length > 0) this.ctx.rebalances.next({ type: 'assigned', partitions: added });
        return resolvePositions$(this.ctx, registry.all(), () => this.offsetFetchMember()).pipe(
          registry.fetchWhenDone(),
        );
      }),
      // Offsets out of range, reset by policy.
      this.resets.pipe(
        mergeMap(({ state, reason }) =>
          resetPositions$(this.ctx, [state], reason).pipe(registry.fetchWhenDone()),
        ),
      ),
      // Session timeout: no successful heartbeat for sessionTimeoutMs marks the coordinator dead.
      sessionTimeout$(this.heartbeatOk, config.sessionTimeoutMs, clock).pipe(
        tap(() => {
          cluster.coordinatorDead(config.groupId);
          this.ctx.emit({
            type: 'coordinator-dead',
            reason: `no successful heartbeat for ${config.sessionTimeoutMs} ms`,
          });
        }),
        ignoreElements(),
      ),
      // maxPollIntervalMs: records wait and the application took none for that long.
      pollTimeout$(
        merge(registry.taken$, registry.appended$),
        () => registry.waiting(),
        config.maxPollIntervalMs,
        clock,
      ).pipe(
        map((): ConsumerGroupEvent => {
          this.ctx.emit({
            type: 'leave',
            reason: `the application took no record for maxPollIntervalMs (${config.maxPollIntervalMs} ms)`,
          });
          return { type: 'poll-timeout' };
        }),
      ),
      // A pattern subscription rebalances when the set of matching topics changes (under the
      // consumer group protocol the coordinator watches the pattern itself).
      config.topicPattern === null || config.groupProtocol === 'consumer'
        ? EMPTY
        : patternChanged$(
            defer(() =>
              cluster.refreshMetadata(config.topicPattern as RegExp).pipe(
                take(1),
                switchMap(() => this.topics$()),
              ),
            ),
            this.subscribedTopics,
            config.metadataMaxAgeMs,
            clock,
          ).pipe(
            map((): ConsumerGroupEvent => ({
              type: 'rejoin',
              reason: 'the topics matching the pattern changed',
            })),
          ),
      // A list of topics: the leader rebalances when one is created or gains partitions.
      config.topics === null || config.groupProtocol === 'consumer' || !isLeader(s)
        ? EMPTY
        : this.topicsChanged$(config.topics),
    );
  }

  /** The leader's watch of its topics; a topic the cluster does not know is reported on events$. */
  private topicsChanged$(topics: readonly string[]): Observable<ConsumerGroupEvent> {
    const { config, cluster } = this.ctx;
    // The counts the assignment was made from, not the cache: a cache may still hold a topic the
    // assignment did not see (e.g. from before a broker lost it), and it would never be assigned.
    const assignedCounts = this.assignedCounts;
    if (assignedCounts === null) return EMPTY;
    const assigned$ = of(assignedCounts).pipe(
      tap((counts) => {
        for (const topic of topics.filter((t) => !counts.has(t)))
          this.ctx.emit({ type: 'error', error: unknownTopic(topic) });
      }),
    );
    const refreshed$ = defer(() => cluster.refreshMetadata(topics)).pipe(
      map((metadata) => partitionCounts(metadata, topics)),
    );
    const periods = { metadataMaxAgeMs: config.metadataMaxAgeMs, missingPeriodMs: config.retryBackoffMaxMs };
    return partitionsChanged$(assigned$, refreshed$, topics, periods, cluster.clock).pipe(
      map((): ConsumerGroupEvent => ({
        type: 'rejoin',
        reason: 'a subscribed topic appeared or gained partitions',
      })),
      // A failed refresh is retried at the next tick of the next generation; it is no reason to leave.
      catchError(() => EMPTY),
    );
  }

  /**
   * The rebalancing phase: stop the partitions given up, commit what was consumed, then revoke
   * them. With auto-commit off nothing is committed here, as in Kafka's Java client: the
   * application commits (or, exactly-once, commits offsets inside its transaction), and a commit
   * of its own would cover input whose output may still be aborted.
   */
  private giveUp$(s: MembershipState): Observable<ConsumerGroupEvent> {
    const plan = s.giveUp;
    if (!plan) return EMPTY;
    const { registry, config } = this.ctx;
    return defer((): Observable<ConsumerGroupEvent> => {
      for (const tp of plan.revoke) registry.get(tp)?.halt();
      const commit$: Observable<unknown> =
        plan.lost || plan.commit.length === 0 || config.autoCommitIntervalMs === null
          ? of(null)
          : this.ctx.committer.commit$(plan.trigger, null, plan.commit, this.commitSource());
      return commit$.pipe(
        map(() => {
          const removed = registry.revoke(plan.revoke);
          if (s.error) for (const r of removed) r.fail(s.error);
          if (plan.revoke.length > 0)
            this.ctx.rebalances.next({ type: plan.lost ? 'lost' : 'revoked', partitions: plan.revoke });
          return { type: 'given-up' } as const;
        }),
      );
    });
  }

  private finish(s: MembershipState): void {
    if (this.finished) return;
    this.finished = true;
    const remaining = this.ctx.registry.revoke(this.ctx.registry.all());
    if (remaining.length > 0) this.ctx.rebalances.next({ type: 'revoked', partitions: remaining });
    if (s.error) {
      this.ctx.emit({ type: 'error', error: s.error });
      this.streams.error(s.error);
    } else {
      this.streams.complete();
    }
    this.subscription.unsubscribe();
    this.resolveClosed();
  }

  private partitionStream(state: PartitionState): PartitionStream {
    const registry = this.ctx.registry;
    const records$ = new Observable<ConsumerRecord>((subscriber) => {
      if (state.revoked) {
        // Taking from a partition already given up still counts as the application polling again.
        registry.taken$.next();
        subscriber.complete();
        return;
      }
      if (state.hasSubscriber()) {
        subscriber.error(
          new AlreadySubscribedError(
            `records$ of ${state.topic}/${state.partition} already has a subscriber; it has one at a time`,
          ),
        );
        return;
      }
      state.attach(subscriber);
      return () => state.detach(subscriber);
    });
    return { topic: state.topic, partition: state.partition, records$ };
  }
}
