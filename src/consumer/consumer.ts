import {
  defer,
  filter,
  firstValueFrom,
  from,
  map,
  mergeMap,
  Observable,
  of,
  race,
  Subject,
  timer,
  type Subscription,
} from 'rxjs';
import type { Cluster } from '../cluster/cluster';
import { channels } from '../diagnostics/channels';
import { payloads } from '../diagnostics/payloads';
import { eager, type Eager } from '../eager';
import { KafkaRxError } from '../errors';
import {
  AlreadySubscribedError,
  asKafkaRxError,
  ConsumerClosedError,
  InvalidArgumentError,
  NotAssignedError,
} from './errors';
import type { TransportEvent } from '../transport/transport';
import type { ResolvedConsumerConfig } from './config';
import { GroupMember } from './group-member';
import { Committer } from './offsets/committer';
import { PartitionRegistry } from './offsets/partition-registry';
import { recordsLag } from './offsets/records-lag';
import type {
  CommitResult,
  Consumer,
  ConsumerEvent,
  PartitionStream,
  RebalanceEvent,
  TopicPartition,
  TopicPartitionOffset,
  UndeserializedRecord,
} from './types';

const tpOffset = ({ topic, partition, offset }: UndeserializedRecord) => ({ topic, partition, offset });

function notAssigned(tp: TopicPartition, what: string): KafkaRxError {
  return new NotAssignedError(
    `${what}: partition ${tp.topic}/${tp.partition} is not assigned to this consumer`,
  );
}

/**
 * A consumer over a given cluster client (createConsumer makes the cluster from the config).
 * Subscribing to `partitions$` or `messages$` starts a group membership; a second subscription
 * while one is active errors (AlreadySubscribedError). Unsubscribing commits, leaves the group and
 * ends the membership; a later subscription joins again.
 */
export function consumerOnCluster(
  config: ResolvedConsumerConfig,
  cluster: Cluster,
  transportEvents$?: Observable<TransportEvent>,
): Consumer {
  const commits = new Subject<CommitResult>();
  const rebalances = new Subject<RebalanceEvent>();
  const events = new Subject<ConsumerEvent>();
  const emit = (e: ConsumerEvent) => events.next(e);
  const committer = new Committer({ cluster, config, commits });
  rebalances.subscribe(({ type, partitions }) => {
    if (channels.rebalance.hasSubscribers)
      channels.rebalance.publish(payloads.rebalance(config.clientId, config.groupId, type, partitions));
  });
  let member: GroupMember | null = null;
  let registry: PartitionRegistry | null = null;
  /** Memberships closing after their last subscriber left, until they are done. */
  const stopping = new Map<GroupMember, Promise<void>>();
  let closed = false;
  let closing: Promise<void> | null = null;

  const transportSubscription: Subscription | undefined = transportEvents$?.subscribe((e) => {
    if (e.type === 'connect') emit({ type: 'connect', broker: e.broker });
    else if (e.type === 'connect-error')
      emit({ type: 'connect-error', broker: e.broker, error: asKafkaRxError(e.error) });
    else if (e.type === 'disconnect')
      emit({ type: 'disconnect', broker: e.broker, reason: asKafkaRxError(e.reason) });
    else if (e.type === 'request') emit({ type: 'request', api: e.api, broker: e.broker });
  });

  const partitions$ = new Observable<PartitionStream>((subscriber) => {
    if (closed) {
      subscriber.error(new ConsumerClosedError('the consumer is closed; create a new one'));
      return;
    }
    if (member !== null) {
      // Each record goes to one subscriber (its acknowledgement and buffer accounting are one
      // subscriber's); a second one would silently take records from the first.
      subscriber.error(
        new AlreadySubscribedError(
          'the consumer already has a subscriber (to messages$ or partitions$); a consumer has one at a time: share() the stream to fan it out',
        ),
      );
      return;
    }
    const ownRegistry = new PartitionRegistry(
      config.ackMode,
      config.partitionBufferBytes,
      config.deserializers,
      (record) => emit({ type: 'deserialization-error', ...tpOffset(record), error: record.error }),
    );
    const own = new GroupMember({ cluster, config, registry: ownRegistry, committer, rebalances, emit });
    member = own;
    registry = ownRegistry;
    const inner = own.partitions$.subscribe(subscriber);
    own.start();
    return () => {
      inner.unsubscribe();
      if (member === own) {
        member = null;
        registry = null;
      }
      stopping.set(
        own,
        own.close().finally(() => stopping.delete(own)),
      );
    };
  });

  const messages$ = partitions$.pipe(mergeMap((p) => p.records$));

  function partition(tp: TopicPartition, what: string) {
    const state = registry?.get(tp);
    if (!state || state.revoked) throw notAssigned(tp, what);
    return state;
  }

  return {
    messages$,
    partitions$,
    commits$: commits.asObservable(),
    rebalances$: rebalances.asObservable(),
    events$: events.asObservable(),
    // Read off each handled Fetch response (the fetcher emits `fetch` after updating the partitions).
    lag$: events.pipe(
      filter((e) => e.type === 'fetch' && registry !== null),
      map(() => recordsLag(registry!)),
    ),

    commit(offsets?: readonly TopicPartitionOffset[]): Eager<CommitResult> {
      // Eager: acts at the call (as `producer.send`), so `await consumer.commit()` commits.
      return eager(
        defer(() => {
          if (offsets !== undefined) {
            for (const o of offsets) {
              if (typeof o.offset !== 'bigint' || o.offset < 0n) {
                throw new InvalidArgumentError(
                  `commit: offset for ${o.topic}/${o.partition} must be a non-negative bigint`,
                );
              }
            }
          }
          if (closed && !member)
            return of<CommitResult>({
              offsets: [],
              trigger: 'manual',
              error: new ConsumerClosedError('the consumer is closed'),
            });
          const source = member ? member.commitSource() : { registry: null, membership: () => null };
          return committer.commit$('manual', offsets ?? null, null, source);
        }),
      );
    },

    pause(tps: readonly TopicPartition[]): void {
      for (const s of tps.map((tp) => partition(tp, 'pause'))) s.pause();
    },

    resume(tps: readonly TopicPartition[]): void {
      for (const s of tps.map((tp) => partition(tp, 'resume'))) s.resume();
    },

    seek(tp: TopicPartition, offset: bigint): void {
      if (typeof offset !== 'bigint' || offset < 0n) {
        throw new InvalidArgumentError(`seek: offset must be a non-negative bigint, got ${String(offset)}`);
      }
      partition(tp, 'seek').seek(offset);
    },

    groupMetadata() {
      const state = member?.state;
      return {
        groupId: config.groupId,
        generationId: state?.generationId ?? -1,
        memberId: state?.memberId ?? '',
        groupInstanceId: config.groupInstanceId,
      };
    },

    close(): Promise<void> {
      if (closing) return closing;
      closed = true;
      closing = (async () => {
        const own = member;
        member = null;
        if (own) stopping.set(own, own.close());
        // Commits and LeaveGroup get closeTimeoutMs; a dead cluster must not hold the process.
        const timedOut = await firstValueFrom(
          race(
            from(Promise.all(stopping.values())).pipe(map(() => false)),
            timer(config.closeTimeoutMs, cluster.clock).pipe(map(() => true)),
          ),
        );
        if (timedOut) {
          emit({
            type: 'close-timeout',
            timeoutMs: config.closeTimeoutMs,
            reason: `commit and LeaveGroup did not finish within closeTimeoutMs (${config.closeTimeoutMs} ms); closed without them`,
          });
          for (const m of stopping.keys()) m.abort();
        }
        stopping.clear();
        committer.stop();
        transportSubscription?.unsubscribe();
        await cluster.close();
        commits.complete();
        rebalances.complete();
        events.complete();
      })();
      return closing;
    },
  };
}
