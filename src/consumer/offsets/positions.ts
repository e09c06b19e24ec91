import {
  defer,
  EMPTY,
  finalize,
  forkJoin,
  ignoreElements,
  map,
  mergeMap,
  type MonoTypeOperatorFunction,
  type Observable,
  of,
  pipe,
  switchMap,
  take,
  tap,
  throwError,
} from 'rxjs';
import { KafkaRxError } from '../../errors';
import type { Cluster } from '../../cluster/cluster';
import { coordinatorMoved } from '../../cluster/errors';
import { retryWithBackoff } from '../../cluster/retry-with-backoff';
import { ErrorCode, protocolError } from '../../protocol/errors';
import type { ResponseOf } from '../../protocol/spec-types';
import { ListOffsets, OffsetFetch } from '../../protocol/specs';
import type { BrokerAddress } from '../../transport/transport';
import { consumerBackoff } from '../backoff';
import type { ResolvedConsumerConfig } from '../config';
import { asKafkaRxError } from '../errors';
import { connectionLost } from '../group/connection-lost';
import {
  EARLIEST_TIMESTAMP,
  LATEST_TIMESTAMP,
  listOffsetsBody,
  offsetFetchBody,
  type OffsetFetchMember,
  offsetFetchResult,
} from '../group/requests';
import { tpKey } from '../topic-partition';
import type { ConsumerEvent } from '../types';
import type { PartitionState } from './partition-state';

export interface PositionsContext {
  readonly cluster: Cluster;
  readonly config: ResolvedConsumerConfig;
  emit(event: ConsumerEvent): void;
}

/** Retries forever with backoff on the clock; the caller's switchMap ends it when membership moves on. */
function retrying<T>(ctx: PositionsContext): MonoTypeOperatorFunction<T> {
  return pipe(
    tap({ error: (error: unknown) => ctx.emit({ type: 'error', error: asKafkaRxError(error) }) }),
    retryWithBackoff({
      clock: ctx.cluster.clock,
      backoff: consumerBackoff(ctx.config),
      shouldRetry: () => true,
    }),
  );
}

/**
 * Finds where each partition starts: its committed offset (OffsetFetch to the coordinator), or,
 * without one, the earliest or latest offset by the `fromBeginning` policy (ListOffsets to the leader).
 */
export function resolvePositions$(
  ctx: PositionsContext,
  states: readonly PartitionState[],
  member: () => OffsetFetchMember | null = () => null,
): Observable<never> {
  const pending = states.filter((s) => s.position === null && !s.resolving && !s.revoked);
  if (pending.length === 0) return EMPTY;
  for (const s of pending) s.resolving = true;
  const { cluster, config } = ctx;
  return defer(() =>
    cluster.coordinator(config.groupId).pipe(
      switchMap((broker) =>
        cluster.request(broker, OffsetFetch, offsetFetchBody(config.groupId, pending, member())).pipe(
          tap({
            error: (error: unknown) => {
              if (connectionLost(error)) cluster.coordinatorDead(config.groupId);
            },
          }),
        ),
      ),
      map((response) => {
        const result = offsetFetchResult(response);
        const failed =
          result.errorCode !== 0
            ? result.errorCode
            : (result.partitions.find((p) => p.errorCode !== 0)?.errorCode ?? 0);
        if (failed !== 0) {
          if (coordinatorMoved(failed)) cluster.coordinatorDead(config.groupId);
          throw protocolError(failed);
        }
        return new Map(result.partitions.map((p) => [tpKey(p), p.offset]));
      }),
      retrying(ctx),
    ),
  ).pipe(
    mergeMap((committed) => {
      const missing: PartitionState[] = [];
      for (const s of pending) {
        const offset = committed.get(tpKey(s));
        if (s.revoked || s.position !== null) continue;
        if (offset !== undefined && offset >= 0n) s.setPosition(offset);
        else missing.push(s);
      }
      return listOffsets$(ctx, missing, 'no committed offset');
    }),
    finalize(() => {
      for (const s of pending) s.resolving = false;
    }),
    ignoreElements(),
  );
}

/** Resets partitions by the `fromBeginning` policy (no committed offset, or OFFSET_OUT_OF_RANGE), and says so on events$. */
export function resetPositions$(
  ctx: PositionsContext,
  states: readonly PartitionState[],
  reason: string,
): Observable<never> {
  const pending = states.filter((s) => !s.resolving && !s.revoked);
  for (const s of pending) {
    s.resolving = true;
    s.position = null;
  }
  return listOffsets$(ctx, pending, reason).pipe(
    finalize(() => {
      for (const s of pending) s.resolving = false;
    }),
  );
}

function listOffsets$(
  ctx: PositionsContext,
  states: readonly PartitionState[],
  reason: string,
): Observable<never> {
  if (states.length === 0) return EMPTY;
  const { cluster, config } = ctx;
  const timestamp = config.fromBeginning ? EARLIEST_TIMESTAMP : LATEST_TIMESTAMP;
  const topics = [...new Set(states.map((s) => s.topic))];
  // Each attempt asks only for the partitions still without a position.
  const unresolved = () => states.filter((s) => s.position === null && !s.revoked);
  return defer(() =>
    cluster.metadata(topics).pipe(
      take(1),
      switchMap((metadata) => {
        const byLeader = new Map<number, { broker: BrokerAddress; states: PartitionState[] }>();
        for (const s of unresolved()) {
          const leader =
            metadata.topics.get(s.topic)?.partitions.find((p) => p.partition === s.partition)?.leader ?? -1;
          const broker = metadata.brokers.get(leader);
          if (!broker) {
            cluster.refreshMetadata(topics).subscribe({ error: () => undefined });
            return throwError(() => protocolError(ErrorCode.LEADER_NOT_AVAILABLE)!);
          }
          const entry = byLeader.get(leader) ?? { broker: { ...broker, nodeId: leader }, states: [] };
          entry.states.push(s);
          byLeader.set(leader, entry);
        }
        if (byLeader.size === 0) return of(null);
        return forkJoin(
          [...byLeader.values()].map(({ broker, states: group }) =>
            cluster
              .request(broker, ListOffsets, listOffsetsBody(group, timestamp, config.isolationLevel))
              .pipe(tap((r) => apply(ctx, group, r, reason))),
          ),
        );
      }),
      tap(() => {
        // A broker that leaves partitions out of its answer must not leave them without a position.
        const missing = unresolved();
        if (missing.length > 0) {
          throw new KafkaRxError(
            'OffsetLookupError',
            `ListOffsets answered without ${missing.map((s) => `${s.topic}/${s.partition}`).join(', ')}`,
            {
              retriable: true,
            },
          );
        }
      }),
      retrying(ctx),
    ),
  ).pipe(ignoreElements());
}

function apply(
  ctx: PositionsContext,
  states: readonly PartitionState[],
  response: ResponseOf<typeof ListOffsets>,
  reason: string,
): void {
  const byKey = new Map(states.map((s) => [tpKey(s), s]));
  for (const t of response.topics) {
    for (const p of t.partitions) {
      const state = byKey.get(tpKey({ topic: t.name, partition: p.partitionIndex }));
      if (!state) continue;
      if (p.errorCode !== 0) {
        if (protocolError(p.errorCode)?.invalidMetadata)
          ctx.cluster.refreshMetadata([t.name]).subscribe({ error: () => undefined });
        throw protocolError(p.errorCode);
      }
      // Sought (or revoked) meanwhile: the application's choice wins.
      if (state.revoked || state.position !== null) continue;
      const offset = BigInt(p.offset);
      state.setPosition(offset);
      ctx.emit({ type: 'offset-reset', topic: state.topic, partition: state.partition, offset, reason });
    }
  }
}
