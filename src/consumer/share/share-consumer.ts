import {
  BehaviorSubject,
  catchError,
  concat,
  defer,
  distinctUntilChanged,
  EMPTY,
  exhaustMap,
  filter,
  finalize,
  firstValueFrom,
  from,
  ignoreElements,
  interval,
  map,
  merge,
  mergeMap,
  Observable,
  observeOn,
  of,
  queueScheduler,
  race,
  scan,
  share,
  startWith,
  Subject,
  type Subscriber,
  Subscription,
  switchMap,
  take,
  tap,
  timer,
} from 'rxjs';
import { randomUUID } from 'node:crypto';
import type { Cluster } from '../../cluster/cluster';
import { now } from '../../time/clock';
import type { TransportEvent } from '../../transport/transport';
import { backoff$ } from '../backoff';
import { TopicIds } from '../consumer-group/topic-ids';
import { AlreadySubscribedError, asKafkaRxError, ConsumerClosedError } from '../errors';
import { tpKey } from '../topic-partition';
import type { ResolvedShareConsumerConfig } from './config';
import { UnacknowledgedRecordsError } from './errors';
import { shareGroupHeartbeat$, shareGroupLeave$ } from './heartbeat';
import { initialShareMembership, type ShareMembership, type ShareMembershipEvent } from './membership';
import { shareMembershipReducer } from './membership-reducer';
import { ShareFetcher } from './share-fetcher';
import type { AcquiredShareRecord } from './share-record';
import type {
  AcknowledgementResult,
  AcknowledgeType,
  ShareConsumer,
  ShareConsumerEvent,
  ShareRecord,
} from './types';

/**
 * A share consumer on a cluster: the membership reducer driven by `scan`; while stable, one tick
 * stream merging ShareGroupHeartbeat on the coordinator's interval and fetch rounds on demand
 * (room below `maxRecords`, acknowledgements waiting); records handed to the one subscriber of
 * `records$` in arrival order.
 */
export function shareConsumerOnCluster(
  config: ResolvedShareConsumerConfig,
  cluster: Cluster,
  transportEvents$?: Observable<TransportEvent>,
): ShareConsumer {
  const clock = cluster.clock;
  const events = new Subject<ShareConsumerEvent>();
  const acknowledgements = new Subject<AcknowledgementResult>();
  const emit = (e: ShareConsumerEvent) => events.next(e);
  const memberId = randomUUID();
  const membershipEvents = new Subject<ShareMembershipEvent>();
  const state$ = new BehaviorSubject<ShareMembership>(initialShareMembership(memberId));
  const demand$ = new Subject<void>();
  const subscription = new Subscription();
  const topicIds = new TopicIds(cluster, config.topics);
  const ctx = { cluster, config, emit };

  /** Acquired, not yet handed out. */
  const buffer: AcquiredShareRecord[] = [];
  /** Handed out and not settled (explicit mode). */
  const outstanding = new Set<AcquiredShareRecord>();
  let subscriber: Subscriber<ShareRecord> | null = null;
  let started = false;
  let closing: Promise<void> | null = null;
  let stopFetching = false;
  let wanted = false;
  const unacknowledged: string[] = [];
  const finished = new Subject<void>();

  const kick = () => {
    if (!stopFetching) demand$.next();
  };

  const fetcher: ShareFetcher = new ShareFetcher({
    cluster,
    config,
    memberId,
    emit,
    received: (records) => {
      buffer.push(...records);
      drain();
    },
    acknowledged: (result) => acknowledgements.next(result),
    room: () =>
      stopFetching || subscriber === null ? 0 : config.maxRecords - buffer.length - outstanding.size,
    assignment: () => (state$.value.phase === 'stable' ? state$.value.assignment : []),
    checkLocks: () => expireLocks(),
    idle: () => kick(),
    acknowledgeRecord: (record: AcquiredShareRecord, type: AcknowledgeType) => {
      if (type !== 'renew') outstanding.delete(record);
      fetcher.acknowledge(record, type);
      kick();
    },
  });

  /** Hands buffered records to the subscriber; implicit mode accepts each once it has been taken. */
  function drain(): void {
    while (subscriber !== null && buffer.length > 0) {
      const record = buffer.shift()!;
      if (config.acknowledgementMode === 'explicit') outstanding.add(record);
      subscriber.next(record);
      if (config.acknowledgementMode === 'implicit') record.accept();
    }
    kick();
  }

  /** Records whose acquisition lock ran out: the broker delivers them again, here or elsewhere. */
  function expireLocks(): void {
    const at = now(clock);
    const expired = [...buffer, ...outstanding].filter((r) => r.settled === null && r.lockDeadline <= at);
    if (expired.length === 0) return;
    const gone = new Set(expired);
    buffer.splice(0, buffer.length, ...buffer.filter((r) => !gone.has(r)));
    for (const r of expired) outstanding.delete(r);
    const byPartition = new Map<string, AcquiredShareRecord[]>();
    for (const r of expired) byPartition.set(tpKey(r), [...(byPartition.get(tpKey(r)) ?? []), r]);
    for (const records of byPartition.values())
      emit({
        type: 'acquisition-lock-expired',
        topic: records[0]!.topic,
        partition: records[0]!.partition,
        offsets: records.map((r) => r.offset),
      });
    kick();
  }

  const dispatch = (e: ShareMembershipEvent) => membershipEvents.next(e);

  function effects(s: ShareMembership): Observable<ShareMembershipEvent> {
    switch (s.phase) {
      case 'joining':
        return backoff$(s.attempt, config, clock).pipe(
          switchMap(() => shareGroupHeartbeat$(ctx, s, topicIds)),
        );
      case 'closed':
        return (s.leaveGroup ? shareGroupLeave$(ctx, s, s.reason) : EMPTY).pipe(
          finalize(() => {
            if (s.error) {
              emit({ type: 'error', error: s.error });
              subscriber?.error(s.error);
            }
            finished.next();
            finished.complete();
          }),
        );
      default:
        return EMPTY;
    }
  }

  function start(): void {
    started = true;
    subscription.add(
      transportEvents$?.subscribe((e) => {
        if (e.type === 'connect') emit({ type: 'connect', broker: e.broker });
        else if (e.type === 'request') emit({ type: 'request', api: e.api, broker: e.broker });
        else if (e.type === 'disconnect')
          emit({ type: 'disconnect', broker: e.broker, reason: asKafkaRxError(e.reason) });
      }),
    );
    subscription.add(
      membershipEvents
        .pipe(observeOn(queueScheduler), scan(shareMembershipReducer, state$.value))
        .subscribe((s) => {
          if (s !== state$.value) state$.next(s);
        }),
    );
    // The tick stream: heartbeats on the coordinator's interval and fetch rounds on demand, while stable.
    const tick$ = state$.pipe(
      distinctUntilChanged((a, b) => a.phase === b.phase && a.seq === b.seq),
      switchMap((s) =>
        s.phase !== 'stable'
          ? EMPTY
          : merge(
              interval(s.heartbeatIntervalMs, clock).pipe(map(() => 'heartbeat' as const)),
              demand$.pipe(
                startWith(undefined),
                map(() => 'fetch' as const),
              ),
            ),
      ),
      share(),
    );
    subscription.add(
      merge(
        tick$.pipe(
          filter((t) => t === 'heartbeat'),
          exhaustMap(() => shareGroupHeartbeat$(ctx, state$.value, topicIds).pipe(tap(dispatch))),
        ),
        tick$.pipe(
          filter((t) => t === 'fetch'),
          tap(() => (wanted = true)),
          exhaustMap(() => {
            wanted = false;
            return fetcher.plan$().pipe(
              // No metadata (every broker down): reported, and planned again after the backoff.
              catchError((error: unknown) => {
                emit({ type: 'error', error: asKafkaRxError(error) });
                return timer(config.retryBackoffMs, clock).pipe(
                  tap(() => (wanted = true)),
                  ignoreElements(),
                );
              }),
              // A kick while planning is not lost: plan again right after.
              finalize(() => {
                if (wanted) subscription.add(timer(0, clock).subscribe(kick));
              }),
            );
          }),
          mergeMap((planned) => from(planned)),
          mergeMap((p) => fetcher.run$(p)),
        ),
      ).subscribe(),
    );
    subscription.add(
      state$
        .pipe(
          distinctUntilChanged((a, b) => a.phase === b.phase && a.seq === b.seq),
          tap((s) => emit({ type: 'membership', phase: s.phase, reason: s.reason })),
          switchMap((s) => effects(s)),
        )
        .subscribe(dispatch),
    );
    // A new assignment may bring partitions to fetch from.
    subscription.add(
      state$
        .pipe(
          map((s) => s.assignment),
          distinctUntilChanged(),
        )
        .subscribe(() => kick()),
    );
    dispatch({ type: 'subscribe' });
  }

  /** Releases what is held, sends the last acknowledgements (closing each share session), leaves the group. */
  async function shutdown(): Promise<void> {
    stopFetching = true;
    if (started) {
      const work$ = concat(
        // The request in flight to each broker ends first (a ShareFetch waits at most maxWaitMs).
        defer(() =>
          fetcher.busy()
            ? interval(Math.max(1, config.retryBackoffMs), clock).pipe(
                filter(() => !fetcher.busy()),
                take(1),
              )
            : of(0),
        ),
        defer(() => {
          for (const r of buffer.splice(0)) r.release();
          for (const r of [...outstanding]) {
            unacknowledged.push(`${r.topic}/${r.partition}@${r.offset}`);
            r.release();
          }
          return fetcher.plan$(true).pipe(
            mergeMap((planned) => merge(...planned.map((p) => fetcher.run$(p)))),
            // No broker to send the last acknowledgements to: the broker releases the records itself.
            catchError((error: unknown) => {
              emit({ type: 'error', error: asKafkaRxError(error) });
              return EMPTY;
            }),
          );
        }),
        defer(() => {
          dispatch({ type: 'close' });
          return finished;
        }),
      );
      const timedOut = await firstValueFrom(
        race(
          concat(work$, of(false)).pipe(
            filter((v) => v === false),
            take(1),
          ),
          timer(config.closeTimeoutMs, clock).pipe(map(() => true)),
        ),
      );
      if (timedOut)
        emit({
          type: 'close-timeout',
          timeoutMs: config.closeTimeoutMs,
          reason: `acknowledgements and leaving the group did not finish within closeTimeoutMs (${config.closeTimeoutMs} ms)`,
        });
    }
    fetcher.stop();
    subscription.unsubscribe();
    await cluster.close();
    const sub = subscriber;
    subscriber = null;
    sub?.complete();
    acknowledgements.complete();
    events.complete();
    if (unacknowledged.length > 0) throw new UnacknowledgedRecordsError(unacknowledged);
  }

  const close = (): Promise<void> => (closing ??= shutdown());

  const records$ = new Observable<ShareRecord>((s) => {
    if (closing) {
      s.error(new ConsumerClosedError('the share consumer is closed; create a new one'));
      return;
    }
    if (subscriber !== null) {
      s.error(new AlreadySubscribedError('records$ already has a subscriber; share() it to fan it out'));
      return;
    }
    subscriber = s;
    if (!started) start();
    else drain();
    return () => {
      if (subscriber === s) {
        subscriber = null;
        // Unsubscribing ends the consumer (as messages$ does); the close error, if any, is reported as an event.
        close().catch((error: unknown) => emit({ type: 'error', error: asKafkaRxError(error) }));
      }
    };
  });

  return {
    records$,
    acknowledgements$: acknowledgements.asObservable(),
    events$: events.asObservable(),
    close,
  };
}
