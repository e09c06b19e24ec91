import { timer } from 'rxjs';
import { ErrorCode } from '../../protocol/errors';
import type { CoordinatorContext } from './coordinator-context';
import { joinError, joinResultFor, syncError } from './coordinator-results';
import type { Group, JoinResult, MemberMetadata } from './group';
import { selectProtocol } from './protocol-vote';

// The rebalance and its timers on the clock: the rebalance timeout, the initial delay, the
// pending SyncGroup and each member's session.

export function maybePrepareRebalance(ctx: CoordinatorContext, group: Group, reason: string): void {
  if (group.state === 'Stable' || group.state === 'CompletingRebalance' || group.state === 'Empty') {
    prepareRebalance(ctx, group, reason);
  } else if (group.state === 'PreparingRebalance') {
    maybeCompleteJoin(ctx, group);
  }
}

function prepareRebalance(ctx: CoordinatorContext, group: Group, reason: string): void {
  if (group.state === 'CompletingRebalance') {
    // Followers waiting for the leader's assignment must rejoin.
    for (const member of group.members.values()) {
      member.assignment = Buffer.alloc(0);
      const respond = member.awaitingSync;
      member.awaitingSync = undefined;
      respond?.(syncError(ErrorCode.REBALANCE_IN_PROGRESS));
    }
  }
  group.syncTimer?.unsubscribe();
  group.pendingSyncMembers.clear();
  const wasEmpty = group.state === 'Empty';
  group.state = 'PreparingRebalance';
  ctx.emit({
    type: 'rebalance-started',
    groupId: group.groupId,
    generationId: group.generationId,
    reason,
  });
  group.joinTimer?.unsubscribe();
  const rebalanceTimeoutMs = group.rebalanceTimeoutMs();
  if (wasEmpty && ctx.config.initialRebalanceDelayMs > 0) {
    const delayMs = Math.min(ctx.config.initialRebalanceDelayMs, rebalanceTimeoutMs);
    scheduleInitialDelay(ctx, group, delayMs, Math.max(rebalanceTimeoutMs - delayMs, 0));
  } else {
    group.joinTimer = timer(rebalanceTimeoutMs, ctx.clock).subscribe(() => completeJoin(ctx, group));
    maybeCompleteJoin(ctx, group);
  }
}

/** Kafka's InitialDelayedJoin: wait, and wait again while new members keep arriving. */
function scheduleInitialDelay(
  ctx: CoordinatorContext,
  group: Group,
  delayMs: number,
  remainingMs: number,
): void {
  group.initialDelayRunning = true;
  group.newMemberAdded = false;
  group.joinTimer = timer(delayMs, ctx.clock).subscribe(() => {
    if (group.newMemberAdded && remainingMs > 0) {
      const next = Math.min(ctx.config.initialRebalanceDelayMs, remainingMs);
      scheduleInitialDelay(ctx, group, next, remainingMs - next);
    } else {
      group.initialDelayRunning = false;
      completeJoin(ctx, group);
    }
  });
}

function maybeCompleteJoin(ctx: CoordinatorContext, group: Group): void {
  if (group.state === 'PreparingRebalance' && !group.initialDelayRunning && group.hasAllMembersJoined()) {
    completeJoin(ctx, group);
  }
}

/** The rebalance ends: members that did not rejoin are dropped and the next generation starts. */
function completeJoin(ctx: CoordinatorContext, group: Group): void {
  if (group.state !== 'PreparingRebalance') return;
  group.joinTimer?.unsubscribe();
  group.joinTimer = undefined;
  group.initialDelayRunning = false;
  for (const member of [...group.members.values()]) {
    if (member.awaitingJoin === undefined) removeMember(ctx, group, member, 'did not rejoin in time');
  }
  group.generationId += 1;
  if (group.members.size === 0) {
    // Kafka's initNextGeneration forgets the protocol name only: an emptied group keeps its type.
    group.protocolName = null;
    group.state = 'Empty';
    ctx.emit({
      type: 'generation',
      groupId: group.groupId,
      generationId: group.generationId,
      members: [],
    });
    return;
  }
  const members = [...group.members.values()];
  group.protocolName = selectProtocol(members);
  group.state = 'CompletingRebalance';
  if (group.leaderId === null || !group.members.has(group.leaderId)) group.leaderId = members[0].memberId;
  ctx.emit({
    type: 'generation',
    groupId: group.groupId,
    generationId: group.generationId,
    members: members.map((m) => m.memberId),
  });
  for (const member of members) {
    const respond = member.awaitingJoin as (r: JoinResult) => void;
    member.awaitingJoin = undefined;
    group.pendingSyncMembers.add(member.memberId);
    scheduleSession(ctx, group, member);
    respond(joinResultFor(group, member));
  }
  const generationId = group.generationId;
  group.syncTimer = timer(group.rebalanceTimeoutMs(), ctx.clock).subscribe(() =>
    expirePendingSync(ctx, group, generationId),
  );
}

/** Members that joined a generation but never sent SyncGroup are removed (Kafka 3's pending sync). */
function expirePendingSync(ctx: CoordinatorContext, group: Group, generationId: number): void {
  if (group.generationId !== generationId || group.pendingSyncMembers.size === 0) return;
  if (group.state !== 'CompletingRebalance' && group.state !== 'Stable') return;
  for (const memberId of [...group.pendingSyncMembers]) {
    const member = group.members.get(memberId);
    if (member !== undefined) removeMember(ctx, group, member, 'did not send SyncGroup in time');
  }
  group.pendingSyncMembers.clear();
  prepareRebalance(ctx, group, 'members did not sync in time');
}

/** (Re)starts a member's session timeout: without a heartbeat before it ends, the member is removed. */
export function scheduleSession(ctx: CoordinatorContext, group: Group, member: MemberMetadata): void {
  member.sessionTimer?.unsubscribe();
  member.sessionTimer = timer(member.sessionTimeoutMs, ctx.clock).subscribe(() => {
    if (group.members.get(member.memberId) !== member) return;
    // A member waiting in JoinGroup or SyncGroup is alive; the rebalance timeout watches it.
    if (member.awaitingJoin !== undefined || member.awaitingSync !== undefined) {
      scheduleSession(ctx, group, member);
      return;
    }
    ctx.emit({ type: 'member-expired', groupId: group.groupId, memberId: member.memberId });
    removeMemberAndUpdateGroup(ctx, group, member, 'session timeout');
  });
}

export function removeMemberAndUpdateGroup(
  ctx: CoordinatorContext,
  group: Group,
  member: MemberMetadata,
  reason: string,
): void {
  const waitingJoin = member.awaitingJoin;
  const waitingSync = member.awaitingSync;
  removeMember(ctx, group, member, reason);
  waitingJoin?.(joinError(member.memberId, ErrorCode.UNKNOWN_MEMBER_ID));
  waitingSync?.(syncError(ErrorCode.UNKNOWN_MEMBER_ID));
  if (group.state === 'Stable' || group.state === 'CompletingRebalance') {
    prepareRebalance(ctx, group, `member ${member.memberId} ${reason}`);
  } else if (group.state === 'PreparingRebalance') {
    maybeCompleteJoin(ctx, group);
  }
}

function removeMember(ctx: CoordinatorContext, group: Group, member: MemberMetadata, reason: string): void {
  member.sessionTimer?.unsubscribe();
  member.awaitingJoin = undefined;
  member.awaitingSync = undefined;
  group.members.delete(member.memberId);
  group.pendingSyncMembers.delete(member.memberId);
  if (
    member.groupInstanceId !== null &&
    group.staticMembers.get(member.groupInstanceId) === member.memberId
  ) {
    group.staticMembers.delete(member.groupInstanceId);
  }
  if (group.leaderId === member.memberId) {
    const next = group.members.keys().next();
    group.leaderId = next.done ? null : next.value;
  }
  ctx.emit({ type: 'member-removed', groupId: group.groupId, memberId: member.memberId, reason });
}

export function removePendingMember(ctx: CoordinatorContext, group: Group, memberId: string): void {
  group.pendingMembers.get(memberId)?.unsubscribe();
  group.pendingMembers.delete(memberId);
  maybeCompleteJoin(ctx, group);
}
