import { catchError, map, type Observable, of, switchMap, tap, defer } from 'rxjs';
import type { Cluster } from '../../cluster/cluster';
import type { ResponseOf } from '../../protocol/spec-types';
import { ShareGroupHeartbeat } from '../../protocol/specs';
import { asKafkaRxError } from '../errors';
import { toCoordinator } from '../group/coordinator-requests';
import type { TopicIds } from '../consumer-group/topic-ids';
import { ShareMemberEpoch, type ShareMembership, type ShareMembershipEvent } from './membership';
import type { ShareConsumerEvent } from './types';
import { leaveBestEffort } from '../group/leave-best-effort';

type Answered = Extract<ShareMembershipEvent, { type: 'heartbeat-answered' }>;

export interface ShareGroupContext {
  readonly cluster: Cluster;
  readonly config: { readonly groupId: string; readonly topics: readonly string[] };
  emit(event: ShareConsumerEvent): void;
}

/**
 * One ShareGroupHeartbeat (epoch 0 while joining); emits its answer as an event, the assigned
 * topic ids resolved to names. The subscription goes with every heartbeat, so the coordinator
 * never depends on an earlier one having arrived. A request without an answer emits `request-failed`.
 */
export function shareGroupHeartbeat$(
  ctx: ShareGroupContext,
  state: ShareMembership,
  topicIds: TopicIds,
): Observable<ShareMembershipEvent> {
  const memberEpoch = state.phase === 'joining' ? ShareMemberEpoch.JOIN : state.memberEpoch;
  return toCoordinator(ctx, (broker) =>
    ctx.cluster.request(broker, ShareGroupHeartbeat, {
      groupId: ctx.config.groupId,
      memberId: state.memberId,
      memberEpoch,
      rackId: null,
      subscribedTopicNames: ctx.config.topics,
    }),
  ).pipe(
    switchMap((r: ResponseOf<typeof ShareGroupHeartbeat>): Observable<ShareMembershipEvent> => {
      ctx.emit({
        type: 'heartbeat',
        generationId: r.errorCode === 0 ? r.memberEpoch : memberEpoch,
        errorCode: r.errorCode,
      });
      if (r.errorCode !== 0)
        return of({ type: 'heartbeat-failed', errorCode: r.errorCode, errorMessage: r.errorMessage ?? null });
      if (memberEpoch === ShareMemberEpoch.JOIN)
        ctx.emit({
          type: 'join',
          memberId: state.memberId,
          generationId: r.memberEpoch,
          leader: false,
          protocol: null,
        });
      const answered = (assignment: Answered['assignment']): Answered => ({
        type: 'heartbeat-answered',
        sentEpoch: memberEpoch,
        memberEpoch: r.memberEpoch,
        heartbeatIntervalMs: r.heartbeatIntervalMs,
        assignment,
      });
      const assigned = r.assignment?.topicPartitions ?? topicIds.pending();
      if (assigned === null) return of(answered(null));
      return topicIds.names$(assigned).pipe(
        tap(({ partitions }) =>
          ctx.emit({ type: 'sync', generationId: r.memberEpoch, assignment: partitions }),
        ),
        map(({ partitions }) => answered(partitions)),
      );
    }),
    catchError((error: unknown) =>
      of<ShareMembershipEvent>({ type: 'request-failed', error: asKafkaRxError(error) }),
    ),
  );
}

/** Leaves the share group (epoch -1), best effort: errors are reported, never thrown. */
export function shareGroupLeave$(
  ctx: ShareGroupContext,
  state: ShareMembership,
  reason: string,
): Observable<never> {
  return defer(() =>
    toCoordinator(ctx, (broker) =>
      ctx.cluster.request(
        broker,
        ShareGroupHeartbeat,
        {
          groupId: ctx.config.groupId,
          memberId: state.memberId,
          memberEpoch: ShareMemberEpoch.LEAVE,
          rackId: null,
          subscribedTopicNames: null,
        },
        { timeoutMs: 5000 },
      ),
    ),
  ).pipe(leaveBestEffort(ctx, reason));
}
