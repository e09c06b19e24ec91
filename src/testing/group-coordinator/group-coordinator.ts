import { createHash } from 'node:crypto';
import { Subject, type Observable } from 'rxjs';
import { ErrorCode } from '../../protocol/errors';
import type { Clock } from '../../time/clock';
import type { CoordinatorContext, GroupCoordinatorConfig } from './coordinator-context';
import type { JoinGroupInput, MemberIdentity, SyncGroupInput } from './coordinator-inputs';
import { syncError, syncResultFor } from './coordinator-results';
import type { CommittedOffset, JoinResult, SyncResult } from './group';
import type { GroupEvent } from './group-event';
import * as offsets from './group-offsets';
import { describe, list, type GroupDescription } from './inspection';
import { join } from './joining';
import type { OffsetToCommit } from './offset-to-commit';
import { removeMemberAndUpdateGroup, removePendingMember, scheduleSession } from './rebalance-timers';

export type { GroupCoordinatorConfig } from './coordinator-context';
export type { JoinGroupInput, MemberIdentity, SyncGroupInput } from './coordinator-inputs';
export type { GroupDescription } from './inspection';

/**
 * The broker side of classic consumer groups, after Kafka's GroupCoordinator: JoinGroup,
 * SyncGroup, Heartbeat and LeaveGroup move each group through Empty, PreparingRebalance,
 * CompletingRebalance and Stable; session, rebalance and initial-delay timeouts run on the
 * clock. Requests that wait (JoinGroup, SyncGroup) get their answer through a callback.
 */
export class GroupCoordinator {
  private memberSequence = 0;
  private readonly eventsSubject = new Subject<GroupEvent>();
  /** Rebalances, generations and evictions, as they happen. */
  readonly events$: Observable<GroupEvent> = this.eventsSubject.asObservable();
  private readonly ctx: CoordinatorContext;

  constructor(clock: Clock, config: GroupCoordinatorConfig) {
    this.ctx = {
      clock,
      config,
      groups: new Map(),
      pendingTransactionalOffsets: new Map(),
      emit: (event) => this.eventsSubject.next(event),
      newMemberId: (clientId) => this.newMemberId(clientId),
    };
  }

  // ---- JoinGroup (joining.ts) ------------------------------------------------------------

  /** JoinGroup: answered through `respond`, at once or when the rebalance completes. */
  join(input: JoinGroupInput, respond: (result: JoinResult) => void): void {
    join(this.ctx, input, respond);
  }

  // ---- SyncGroup -------------------------------------------------------------------------

  sync(input: SyncGroupInput, respond: (result: SyncResult) => void): void {
    const group = this.ctx.groups.get(input.groupId);
    if (group === undefined) return respond(syncError(ErrorCode.UNKNOWN_MEMBER_ID));
    if (group.state === 'Dead') return respond(syncError(ErrorCode.COORDINATOR_NOT_AVAILABLE));
    if (group.isStaticMemberFenced(input.memberId, input.groupInstanceId)) {
      return respond(syncError(ErrorCode.FENCED_INSTANCE_ID));
    }
    const member = group.members.get(input.memberId);
    if (member === undefined) return respond(syncError(ErrorCode.UNKNOWN_MEMBER_ID));
    if (input.generationId !== group.generationId) return respond(syncError(ErrorCode.ILLEGAL_GENERATION));
    if (
      (input.protocolType !== null && input.protocolType !== group.protocolType) ||
      (input.protocolName !== null && input.protocolName !== group.protocolName)
    ) {
      return respond(syncError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL));
    }
    switch (group.state) {
      case 'Empty':
        return respond(syncError(ErrorCode.UNKNOWN_MEMBER_ID));
      case 'PreparingRebalance':
        return respond(syncError(ErrorCode.REBALANCE_IN_PROGRESS));
      case 'CompletingRebalance': {
        group.pendingSyncMembers.delete(member.memberId);
        member.awaitingSync = respond;
        if (member.memberId === group.leaderId) {
          const assignments = new Map(input.assignments.map((a) => [a.memberId, a.assignment]));
          for (const m of group.members.values())
            m.assignment = assignments.get(m.memberId) ?? Buffer.alloc(0);
          group.state = 'Stable';
          this.ctx.emit({ type: 'stable', groupId: group.groupId, generationId: group.generationId });
          for (const m of group.members.values()) {
            const waiting = m.awaitingSync;
            m.awaitingSync = undefined;
            if (waiting !== undefined) {
              scheduleSession(this.ctx, group, m);
              waiting(syncResultFor(group, m));
            }
          }
        }
        return;
      }
      case 'Stable':
        group.pendingSyncMembers.delete(member.memberId);
        scheduleSession(this.ctx, group, member);
        return respond(syncResultFor(group, member));
    }
  }

  // ---- Heartbeat -------------------------------------------------------------------------

  heartbeat(input: MemberIdentity): number {
    const group = this.ctx.groups.get(input.groupId);
    if (group === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (group.state === 'Dead') return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    if (group.isStaticMemberFenced(input.memberId, input.groupInstanceId))
      return ErrorCode.FENCED_INSTANCE_ID;
    const member = group.members.get(input.memberId);
    if (member === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (input.generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
    switch (group.state) {
      case 'Empty':
        return ErrorCode.UNKNOWN_MEMBER_ID;
      case 'PreparingRebalance':
        scheduleSession(this.ctx, group, member);
        return ErrorCode.REBALANCE_IN_PROGRESS;
      default:
        scheduleSession(this.ctx, group, member);
        return ErrorCode.NONE;
    }
  }

  // ---- LeaveGroup ------------------------------------------------------------------------

  /** Removes members; one error code per member, in order. */
  leave(
    groupId: string,
    members: ReadonlyArray<{ memberId: string; groupInstanceId: string | null }>,
  ): number[] {
    const group = this.ctx.groups.get(groupId);
    if (group === undefined) return members.map(() => ErrorCode.UNKNOWN_MEMBER_ID);
    return members.map(({ memberId, groupInstanceId }) => {
      if (group.state === 'Dead') return ErrorCode.COORDINATOR_NOT_AVAILABLE;
      // An admin may name a static member by its instance id alone.
      const id =
        memberId === '' && groupInstanceId !== null
          ? (group.staticMembers.get(groupInstanceId) ?? '')
          : memberId;
      if (group.isStaticMemberFenced(id, groupInstanceId)) return ErrorCode.FENCED_INSTANCE_ID;
      if (group.pendingMembers.has(id)) {
        removePendingMember(this.ctx, group, id);
        return ErrorCode.NONE;
      }
      const member = group.members.get(id);
      if (member === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
      removeMemberAndUpdateGroup(this.ctx, group, member, 'left the group');
      return ErrorCode.NONE;
    });
  }

  // ---- offsets (group-offsets.ts) ---------------------------------------------------------

  commitOffsets(input: MemberIdentity, toCommit: readonly OffsetToCommit[]): number {
    return offsets.commitOffsets(this.ctx, input, toCommit);
  }

  commitTransactionalOffsets(
    input: MemberIdentity,
    producerId: bigint,
    toCommit: readonly OffsetToCommit[],
  ): number {
    return offsets.commitTransactionalOffsets(this.ctx, input, producerId, toCommit);
  }

  completeTransaction(groupId: string, producerId: bigint, committed: boolean): void {
    offsets.completeTransaction(this.ctx, groupId, producerId, committed);
  }

  committedOffsets(groupId: string): ReadonlyMap<string, ReadonlyMap<number, CommittedOffset>> {
    return offsets.committedOffsets(this.ctx, groupId);
  }

  forgetTopic(topic: string): void {
    offsets.forgetTopic(this.ctx, topic);
  }

  deleteGroup(groupId: string): number {
    return offsets.deleteGroup(this.ctx, groupId);
  }

  // ---- inspection (inspection.ts) ---------------------------------------------------------

  describe(groupId: string): GroupDescription | undefined {
    return describe(this.ctx, groupId);
  }

  list(): GroupDescription[] {
    return list(this.ctx);
  }

  /** Cancels every timer (the cluster is closing). */
  close(): void {
    for (const group of this.ctx.groups.values()) {
      group.joinTimer?.unsubscribe();
      group.syncTimer?.unsubscribe();
      for (const expiry of group.pendingMembers.values()) expiry.unsubscribe();
      for (const member of group.members.values()) member.sessionTimer?.unsubscribe();
    }
    this.eventsSubject.complete();
  }

  /** Kafka's form `clientId-uuid`; the uuid comes from a counter, so runs are reproducible. */
  private newMemberId(clientId: string): string {
    const hex = createHash('sha256').update(`member:${++this.memberSequence}`).digest('hex');
    return `${clientId}-${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
  }
}
