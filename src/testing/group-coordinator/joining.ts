import { timer } from 'rxjs';
import { ErrorCode } from '../../protocol/errors';
import type { CoordinatorContext } from './coordinator-context';
import type { JoinGroupInput } from './coordinator-inputs';
import { joinError, joinResultFor, syncError } from './coordinator-results';
import { Group, MemberMetadata, type JoinResult } from './group';
import { supportsProtocols } from './protocol-vote';
import { maybePrepareRebalance, removePendingMember, scheduleSession } from './rebalance-timers';

// JoinGroup, as Kafka's GroupCoordinator handles it: a new member (asked for its id first,
// from JoinGroup v4), a known one, and a static member that restarts.

/** JoinGroup: the answer comes through `respond`, at once or when the rebalance completes. */
export function join(
  ctx: CoordinatorContext,
  input: JoinGroupInput,
  respond: (result: JoinResult) => void,
): void {
  if (input.groupId === '') return respond(joinError(input.memberId, ErrorCode.INVALID_GROUP_ID));
  if (
    input.sessionTimeoutMs < ctx.config.minSessionTimeoutMs ||
    input.sessionTimeoutMs > ctx.config.maxSessionTimeoutMs
  ) {
    return respond(joinError(input.memberId, ErrorCode.INVALID_SESSION_TIMEOUT));
  }
  let group = ctx.groups.get(input.groupId);
  if (group === undefined) {
    if (input.memberId !== '') return respond(joinError(input.memberId, ErrorCode.UNKNOWN_MEMBER_ID));
    group = new Group(input.groupId);
    ctx.groups.set(input.groupId, group);
  }
  if (group.state === 'Dead') return respond(joinError(input.memberId, ErrorCode.COORDINATOR_NOT_AVAILABLE));
  if (
    !supportsProtocols([...group.members.values()], group.protocolType, input.protocolType, input.protocols)
  ) {
    return respond(joinError(input.memberId, ErrorCode.INCONSISTENT_GROUP_PROTOCOL));
  }
  if (input.memberId === '') joinUnknownMember(ctx, group, input, respond);
  else joinKnownMember(ctx, group, input, respond);
}

function joinUnknownMember(
  ctx: CoordinatorContext,
  group: Group,
  input: JoinGroupInput,
  respond: (r: JoinResult) => void,
): void {
  const memberId = ctx.newMemberId(input.clientId);
  if (input.groupInstanceId !== null) {
    const oldMemberId = group.staticMembers.get(input.groupInstanceId);
    if (oldMemberId !== undefined && group.members.has(oldMemberId)) {
      replaceStaticMember(ctx, group, oldMemberId, memberId, input, respond);
    } else {
      addMemberAndRebalance(ctx, group, memberId, input, respond);
    }
  } else if (input.requireKnownMemberId) {
    // The member must come back with this id; until then it holds up a rebalance.
    const expiry = timer(input.sessionTimeoutMs, ctx.clock).subscribe(() =>
      removePendingMember(ctx, group, memberId),
    );
    group.pendingMembers.set(memberId, expiry);
    respond(joinError(memberId, ErrorCode.MEMBER_ID_REQUIRED));
  } else {
    addMemberAndRebalance(ctx, group, memberId, input, respond);
  }
}

function joinKnownMember(
  ctx: CoordinatorContext,
  group: Group,
  input: JoinGroupInput,
  respond: (r: JoinResult) => void,
): void {
  const { memberId } = input;
  if (group.pendingMembers.has(memberId)) {
    group.pendingMembers.get(memberId)?.unsubscribe();
    group.pendingMembers.delete(memberId);
    addMemberAndRebalance(ctx, group, memberId, input, respond);
    return;
  }
  if (group.isStaticMemberFenced(memberId, input.groupInstanceId)) {
    return respond(joinError(memberId, ErrorCode.FENCED_INSTANCE_ID));
  }
  const member = group.members.get(memberId);
  if (member === undefined) return respond(joinError(memberId, ErrorCode.UNKNOWN_MEMBER_ID));
  switch (group.state) {
    case 'PreparingRebalance':
      updateMemberAndRebalance(ctx, group, member, input, respond);
      break;
    case 'CompletingRebalance':
      // A member that lost its JoinGroup response asks again with the same protocols.
      if (member.matches(input.protocols)) respond(joinResultFor(group, member));
      else updateMemberAndRebalance(ctx, group, member, input, respond);
      break;
    case 'Stable':
      if (memberId === group.leaderId || !member.matches(input.protocols)) {
        updateMemberAndRebalance(ctx, group, member, input, respond);
      } else {
        respond(joinResultFor(group, member));
      }
      break;
    default:
      respond(joinError(memberId, ErrorCode.UNKNOWN_MEMBER_ID));
  }
}

/** A member as a JoinGroup describes it, with the protocols it is to be known by. */
function memberOf(
  memberId: string,
  input: JoinGroupInput,
  protocols: JoinGroupInput['protocols'],
): MemberMetadata {
  return new MemberMetadata(
    memberId,
    input.groupInstanceId,
    input.clientId,
    input.clientHost,
    input.sessionTimeoutMs,
    input.rebalanceTimeoutMs,
    input.protocolType,
    protocols,
  );
}

function addMemberAndRebalance(
  ctx: CoordinatorContext,
  group: Group,
  memberId: string,
  input: JoinGroupInput,
  respond: (r: JoinResult) => void,
): void {
  const member = memberOf(memberId, input, input.protocols);
  member.awaitingJoin = respond;
  if (group.members.size === 0) group.protocolType = input.protocolType;
  group.members.set(memberId, member);
  if (group.leaderId === null) group.leaderId = memberId;
  if (input.groupInstanceId !== null) group.staticMembers.set(input.groupInstanceId, memberId);
  group.newMemberAdded = true;
  ctx.emit({ type: 'member-joined', groupId: group.groupId, memberId });
  maybePrepareRebalance(ctx, group, `member ${memberId} joined`);
}

function updateMemberAndRebalance(
  ctx: CoordinatorContext,
  group: Group,
  member: MemberMetadata,
  input: JoinGroupInput,
  respond: (r: JoinResult) => void,
): void {
  member.protocols = input.protocols;
  member.sessionTimeoutMs = input.sessionTimeoutMs;
  member.rebalanceTimeoutMs = input.rebalanceTimeoutMs;
  member.awaitingJoin = respond;
  maybePrepareRebalance(ctx, group, `member ${member.memberId} rejoined`);
}

/** A static member restarted: its new member id takes the old one's place and assignment. */
function replaceStaticMember(
  ctx: CoordinatorContext,
  group: Group,
  oldMemberId: string,
  newMemberId: string,
  input: JoinGroupInput,
  respond: (r: JoinResult) => void,
): void {
  const old = group.members.get(oldMemberId) as MemberMetadata;
  old.sessionTimer?.unsubscribe();
  old.awaitingJoin?.(joinError(oldMemberId, ErrorCode.FENCED_INSTANCE_ID));
  old.awaitingSync?.(syncError(ErrorCode.FENCED_INSTANCE_ID));
  const member = memberOf(newMemberId, input, old.protocols);
  member.assignment = old.assignment;
  // Keep the member's place in join order.
  const entries = [...group.members.entries()].map(([id, m]): [string, MemberMetadata] =>
    id === oldMemberId ? [newMemberId, member] : [id, m],
  );
  group.members.clear();
  for (const [id, m] of entries) group.members.set(id, m);
  group.staticMembers.set(input.groupInstanceId as string, newMemberId);
  const currentLeader = group.leaderId;
  if (group.leaderId === oldMemberId) group.leaderId = newMemberId;
  if (group.pendingSyncMembers.delete(oldMemberId)) group.pendingSyncMembers.add(newMemberId);
  ctx.emit({ type: 'member-replaced', groupId: group.groupId, memberId: newMemberId, oldMemberId });

  if (group.state === 'Stable' && member.matches(input.protocols)) {
    // No rebalance: the member gets the current generation and, keeping the old leader id,
    // does not run an assignment that a stable group would never hand out.
    scheduleSession(ctx, group, member);
    respond({ ...joinResultFor(group, member), leader: currentLeader ?? '', members: [] });
    return;
  }
  updateMemberAndRebalance(ctx, group, member, input, respond);
}
