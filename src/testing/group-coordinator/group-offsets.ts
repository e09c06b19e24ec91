import { ErrorCode } from '../../protocol/errors';
import { now } from '../../time/clock';
import type { CoordinatorContext } from './coordinator-context';
import type { MemberIdentity } from './coordinator-inputs';
import { Group, type CommittedOffset } from './group';
import type { OffsetToCommit } from './offset-to-commit';
import { scheduleSession } from './rebalance-timers';

// A group's committed offsets: OffsetCommit, TxnOffsetCommit and its transaction's marker,
// deleted topics and groups.

/**
 * The group-level verdict on an OffsetCommit, as Kafka's doCommitOffsets; on NONE the
 * offsets are stored (and, for a member, its session renewed).
 */
export function commitOffsets(
  ctx: CoordinatorContext,
  input: MemberIdentity,
  offsets: readonly OffsetToCommit[],
): number {
  const verdict = validateCommit(ctx, input, false);
  if (typeof verdict === 'number') return verdict;
  store(ctx, verdict, offsets);
  return ErrorCode.NONE;
}

/**
 * TxnOffsetCommit: the same checks as OffsetCommit (except that a rebalance in progress does
 * not stop it, as in Kafka); the offsets wait, per producer, for the transaction's marker.
 */
export function commitTransactionalOffsets(
  ctx: CoordinatorContext,
  input: MemberIdentity,
  producerId: bigint,
  offsets: readonly OffsetToCommit[],
): number {
  const verdict = validateCommit(ctx, input, true);
  if (typeof verdict === 'number') return verdict;
  let byProducer = ctx.pendingTransactionalOffsets.get(input.groupId);
  if (byProducer === undefined) ctx.pendingTransactionalOffsets.set(input.groupId, (byProducer = new Map()));
  byProducer.set(producerId, [...(byProducer.get(producerId) ?? []), ...offsets]);
  return ErrorCode.NONE;
}

/** The transaction's marker reached the group: its offsets are stored (commit) or dropped (abort). */
export function completeTransaction(
  ctx: CoordinatorContext,
  groupId: string,
  producerId: bigint,
  committed: boolean,
): void {
  const pending = ctx.pendingTransactionalOffsets.get(groupId)?.get(producerId);
  ctx.pendingTransactionalOffsets.get(groupId)?.delete(producerId);
  const group = ctx.groups.get(groupId);
  if (committed && pending !== undefined && group !== undefined) store(ctx, group, pending);
}

function validateCommit(
  ctx: CoordinatorContext,
  input: MemberIdentity,
  transactional: boolean,
): Group | number {
  if (input.groupId === '') return ErrorCode.INVALID_GROUP_ID;
  let group = ctx.groups.get(input.groupId);
  if (group === undefined) {
    // A group that does not use Kafka's membership (generation -1) may still store offsets.
    if (input.generationId >= 0) return ErrorCode.ILLEGAL_GENERATION;
    group = new Group(input.groupId);
    ctx.groups.set(input.groupId, group);
  }
  if (group.state === 'Dead') return ErrorCode.COORDINATOR_NOT_AVAILABLE;
  if (group.isStaticMemberFenced(input.memberId, input.groupInstanceId)) return ErrorCode.FENCED_INSTANCE_ID;
  if (!(input.generationId < 0 && (group.state === 'Empty' || transactional))) {
    if (group.state === 'CompletingRebalance' && !transactional) return ErrorCode.REBALANCE_IN_PROGRESS;
    const member = group.members.get(input.memberId);
    if (member === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (input.generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
    scheduleSession(ctx, group, member);
  }
  return group;
}

function store(ctx: CoordinatorContext, group: Group, offsets: readonly OffsetToCommit[]): void {
  const commitTimestamp = now(ctx.clock);
  for (const o of offsets) {
    let partitions = group.offsets.get(o.topic);
    if (partitions === undefined) group.offsets.set(o.topic, (partitions = new Map()));
    partitions.set(o.partition, {
      offset: o.offset,
      leaderEpoch: o.leaderEpoch,
      metadata: o.metadata,
      commitTimestamp,
    });
  }
  ctx.emit({ type: 'offsets-committed', groupId: group.groupId, offsets });
}

/** The committed offsets of a group: all of them, or those of the given topics' partitions. */
export function committedOffsets(
  ctx: CoordinatorContext,
  groupId: string,
): ReadonlyMap<string, ReadonlyMap<number, CommittedOffset>> {
  return ctx.groups.get(groupId)?.offsets ?? new Map();
}

/** A deleted topic's offsets leave every group (Kafka's onPartitionsDeleted). */
export function forgetTopic(ctx: CoordinatorContext, topic: string): void {
  for (const group of ctx.groups.values()) group.offsets.delete(topic);
}

/**
 * DeleteGroups for one group: only an empty group goes, with its offsets (NON_EMPTY_GROUP
 * otherwise; GROUP_ID_NOT_FOUND for a group the coordinator does not know).
 */
export function deleteGroup(ctx: CoordinatorContext, groupId: string): number {
  if (groupId === '') return ErrorCode.INVALID_GROUP_ID;
  const group = ctx.groups.get(groupId);
  if (group === undefined || group.state === 'Dead') return ErrorCode.GROUP_ID_NOT_FOUND;
  if (group.state !== 'Empty') return ErrorCode.NON_EMPTY_GROUP;
  group.state = 'Dead';
  group.joinTimer?.unsubscribe();
  ctx.groups.delete(groupId);
  ctx.pendingTransactionalOffsets.delete(groupId);
  return ErrorCode.NONE;
}
