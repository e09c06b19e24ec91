import { catchError, defer, EMPTY, map, type Observable, of, switchMap, take, tap } from 'rxjs';
import type { Cluster } from '../../cluster/cluster';
import { coordinatorMoved } from '../../cluster/errors';
import { KafkaRxError } from '../../errors';
import { ErrorCode } from '../../protocol/errors';
import { Heartbeat, JoinGroup, LeaveGroup, SyncGroup } from '../../protocol/specs';
import type { ResolvedConsumerConfig } from '../config';
import { asKafkaRxError, fatalGroupError } from '../errors';
import { connectionLost } from './connection-lost';
import type { MembershipEvent } from '../membership/events';
import { isLeader, type JoinedMember, type MembershipState } from '../membership/state';
import type { ConsumerEvent } from '../types';
import {
  decodeAssignment,
  decodeSubscription,
  encodeAssignment,
  encodeSubscription,
} from './consumer-protocol';
import { heartbeatBody, joinGroupBody, leaveGroupBody, syncGroupBody } from './requests';
import { leaveBestEffort } from './leave-best-effort';
import { partitionCounts, type PartitionCounts } from '../partitions-changed';

export interface GroupContext {
  readonly cluster: Cluster;
  readonly config: ResolvedConsumerConfig;
  emit(event: ConsumerEvent): void;
}

/** Sends a request to the group coordinator; coordinator errors in the answer, or a lost connection, make the cluster forget it. */
export function toCoordinator<R extends { readonly errorCode: number }>(
  ctx: Pick<GroupContext, 'cluster' | 'emit'> & { readonly config: { readonly groupId: string } },
  send: (broker: Parameters<Cluster['request']>[0]) => Observable<R>,
): Observable<R> {
  const { cluster, config } = ctx;
  const dead = (reason: string): void => {
    cluster.coordinatorDead(config.groupId);
    ctx.emit({ type: 'coordinator-dead', reason });
  };
  return cluster.coordinator(config.groupId).pipe(
    switchMap((broker) =>
      send(broker).pipe(
        tap({
          next: (response) => {
            if (coordinatorMoved(response.errorCode)) dead(`error code ${response.errorCode}`);
          },
          error: (error: unknown) => {
            if (connectionLost(error)) dead((error as Error).message);
          },
        }),
      ),
    ),
  );
}

const failedRequest = (error: unknown): Observable<MembershipEvent> =>
  of({ type: 'request-failed', error: asKafkaRxError(error) });

/** JoinGroup with this member's subscription for every configured assignor. */
export function joinGroup$(
  ctx: GroupContext,
  state: MembershipState,
  topics: readonly string[],
): Observable<MembershipEvent> {
  const { config } = ctx;
  return defer(() => {
    const protocols = config.assignors.map((a) => ({
      name: a.name,
      metadata: encodeSubscription(
        topics,
        state.assignment,
        state.generationId,
        a.userData?.() ?? null,
        state.cooperative,
      ),
    }));
    // JoinGroup may wait for the whole group to rejoin: up to rebalanceTimeoutMs, as the Java client allows.
    return toCoordinator(ctx, (broker) =>
      ctx.cluster.request(broker, JoinGroup, joinGroupBody(config, state, protocols), {
        timeoutMs: config.rebalanceTimeoutMs + 5000,
      }),
    );
  }).pipe(
    map((r): MembershipEvent => {
      if (r.errorCode !== 0) return { type: 'join-failed', errorCode: r.errorCode, memberId: r.memberId };
      const members: JoinedMember[] = (r.members ?? []).map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId ?? null,
        metadata: m.metadata,
      }));
      ctx.emit({
        type: 'join',
        memberId: r.memberId,
        generationId: r.generationId,
        leader: r.leader === r.memberId,
        protocol: r.protocolName ?? null,
      });
      return {
        type: 'joined',
        memberId: r.memberId,
        generationId: r.generationId,
        leader: r.leader,
        protocolName: r.protocolName ?? null,
        members,
      };
    }),
    catchError(failedRequest),
  );
}

/** The leader's assignment for every member, encoded for SyncGroup. */
function assign$(
  ctx: GroupContext,
  state: MembershipState,
  assignedFrom?: (counts: PartitionCounts) => void,
): Observable<Array<{ memberId: string; assignment: Buffer }>> {
  return defer(() => {
    const assignor = ctx.config.assignors.find((a) => a.name === state.protocolName);
    if (!assignor) throw fatalGroupError('SyncGroup', ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    const subscriptions = state.members.map(decodeSubscription);
    const topics = [...new Set(subscriptions.flatMap((s) => s.topics))].sort();
    // Fresh metadata, as librdkafka's leader does: partitions added since the last refresh get
    // assigned. It also lets the followers' SyncGroup reach the coordinator before the leader's,
    // an order librdkafka's mock broker depends on (it drops followers that sync late).
    const counts$ =
      topics.length === 0
        ? of(new Map<string, number>())
        : ctx.cluster.refreshMetadata(topics).pipe(
            take(1),
            map((metadata) => partitionCounts(metadata, topics)),
          );
    return counts$.pipe(
      map((counts) => {
        assignedFrom?.(counts);
        const plan = assignor.assign(subscriptions, counts);
        return subscriptions.map((s) => ({
          memberId: s.memberId,
          assignment: encodeAssignment(plan.get(s.memberId) ?? []),
        }));
      }),
    );
  });
}

/**
 * SyncGroup: the leader sends the assignment it computed; every member gets its own back. The
 * leader hands the partition counts it assigned from to `assignedFrom`, for its metadata watch.
 */
export function syncGroup$(
  ctx: GroupContext,
  state: MembershipState,
  assignedFrom?: (counts: PartitionCounts) => void,
): Observable<MembershipEvent> {
  const assignments$ = isLeader(state) ? assign$(ctx, state, assignedFrom) : of([]);
  return assignments$.pipe(
    switchMap((assignments) =>
      toCoordinator(ctx, (broker) =>
        ctx.cluster.request(broker, SyncGroup, syncGroupBody(ctx.config, state, assignments), {
          timeoutMs: ctx.config.rebalanceTimeoutMs + 5000,
        }),
      ),
    ),
    map((r): MembershipEvent => {
      if (r.errorCode !== 0) return { type: 'sync-failed', errorCode: r.errorCode };
      const assignment = decodeAssignment(r.assignment);
      ctx.emit({ type: 'sync', generationId: state.generationId, assignment });
      return { type: 'synced', assignment };
    }),
    catchError((error: unknown) =>
      error instanceof KafkaRxError && error.name === 'GroupMembershipError'
        ? of<MembershipEvent>({ type: 'fatal', error })
        : failedRequest(error),
    ),
  );
}

/** One Heartbeat; emits its error code (0 when all is well). A lost request is reported and emits nothing. */
export function heartbeat$(ctx: GroupContext, state: MembershipState): Observable<number> {
  return toCoordinator(ctx, (broker) =>
    ctx.cluster.request(broker, Heartbeat, heartbeatBody(ctx.config, state)),
  ).pipe(
    map((r) => r.errorCode),
    tap((errorCode) => ctx.emit({ type: 'heartbeat', generationId: state.generationId, errorCode })),
    catchError((error: unknown) => {
      ctx.emit({ type: 'error', error: asKafkaRxError(error) });
      return EMPTY;
    }),
  );
}

/** LeaveGroup, best effort: errors are reported, never thrown. */
export function leaveGroup$(ctx: GroupContext, memberId: string, reason: string): Observable<never> {
  return toCoordinator(ctx, (broker) =>
    ctx.cluster.request(broker, LeaveGroup, leaveGroupBody(ctx.config, memberId, reason), {
      timeoutMs: 5000,
    }),
  ).pipe(leaveBestEffort(ctx, reason));
}
