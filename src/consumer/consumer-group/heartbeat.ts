import { catchError, defer, map, type Observable, of, switchMap, tap } from 'rxjs';
import { KafkaRxError } from '../../errors';
import type { ResponseOf } from '../../protocol/spec-types';
import { ConsumerGroupHeartbeat } from '../../protocol/specs';
import { asKafkaRxError } from '../errors';
import { toCoordinator, type GroupContext } from '../group/coordinator-requests';
import type { ConsumerGroupEvent } from './events';
import { consumerGroupHeartbeatBody, consumerGroupLeaveBody } from './requests';
import { MemberEpoch, type ConsumerGroupState } from './state';
import type { TopicIds } from './topic-ids';
import { leaveBestEffort } from '../group/leave-best-effort';

type Answered = Extract<ConsumerGroupEvent, { type: 'heartbeat-answered' }>;

/**
 * One ConsumerGroupHeartbeat for this membership (epoch 0 while joining), with the partitions it
 * owns; emits the answer as an event, its assignment's topic ids resolved to names. A request
 * without an answer emits `request-failed`.
 */
export function consumerGroupHeartbeat$(
  ctx: GroupContext,
  state: ConsumerGroupState,
  topicIds: TopicIds,
): Observable<ConsumerGroupEvent> {
  const joining = state.phase === 'joining';
  const memberEpoch = joining ? MemberEpoch.JOIN : state.generationId;
  return topicIds.ids$(joining ? [] : state.assignment).pipe(
    switchMap((owned) =>
      toCoordinator(ctx, (broker) =>
        ctx.cluster.request(
          broker,
          ConsumerGroupHeartbeat,
          consumerGroupHeartbeatBody(ctx.config, state.memberId, memberEpoch, owned),
        ),
      ),
    ),
    switchMap((r: ResponseOf<typeof ConsumerGroupHeartbeat>): Observable<ConsumerGroupEvent> => {
      const errorCode = r.errorCode;
      ctx.emit({ type: 'heartbeat', generationId: errorCode === 0 ? r.memberEpoch : memberEpoch, errorCode });
      if (errorCode !== 0)
        return of({ type: 'heartbeat-failed', errorCode, errorMessage: r.errorMessage ?? null });
      const memberId = r.memberId ?? state.memberId;
      if (joining)
        ctx.emit({
          type: 'join',
          memberId,
          generationId: r.memberEpoch,
          leader: false,
          protocol: ctx.config.groupRemoteAssignor,
        });
      const answered = (assignment: Answered['assignment']): Answered => ({
        type: 'heartbeat-answered',
        sentEpoch: memberEpoch,
        memberId,
        memberEpoch: r.memberEpoch,
        heartbeatIntervalMs: r.heartbeatIntervalMs,
        assignment,
      });
      // No news, unless an earlier assignment still has topics metadata did not know: try those again.
      const assigned = r.assignment?.topicPartitions ?? (joining ? null : topicIds.pending());
      if (assigned === null) return of(answered(null));
      return topicIds.names$(assigned).pipe(
        tap(({ partitions, unknownTopicIds }) => {
          ctx.emit({ type: 'sync', generationId: r.memberEpoch, assignment: partitions });
          // Said once per assignment, not at every heartbeat that tries again.
          if (unknownTopicIds.length > 0 && r.assignment)
            ctx.emit({
              type: 'error',
              error: new KafkaRxError(
                'UnknownTopicIdError',
                `assigned topic ids not in metadata, left out: ${unknownTopicIds.join(', ')}`,
                { retriable: true },
              ),
            });
        }),
        map(({ partitions }) => answered(partitions)),
      );
    }),
    catchError((error: unknown) =>
      of<ConsumerGroupEvent>({ type: 'request-failed', error: asKafkaRxError(error) }),
    ),
  );
}

/** Leaves the group (epoch -1, or -2 for a static member), best effort: errors are reported, never thrown. */
export function consumerGroupLeave$(
  ctx: GroupContext,
  state: ConsumerGroupState,
  reason: string,
): Observable<never> {
  const epoch = state.groupInstanceId === null ? MemberEpoch.LEAVE : MemberEpoch.LEAVE_STATIC;
  return defer(() =>
    toCoordinator(ctx, (broker) =>
      ctx.cluster.request(
        broker,
        ConsumerGroupHeartbeat,
        consumerGroupLeaveBody(ctx.config, state.memberId, epoch),
        {
          timeoutMs: 5000,
        },
      ),
    ),
  ).pipe(leaveBestEffort(ctx, reason));
}
