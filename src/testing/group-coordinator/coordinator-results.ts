import { ErrorCode } from '../../protocol/errors';
import type { Group, JoinResult, MemberMetadata, SyncResult } from './group';

// The coordinator's answers to JoinGroup and SyncGroup: an error alone, or what a member is told.

export function joinError(memberId: string, errorCode: number): JoinResult {
  return {
    errorCode,
    generationId: -1,
    protocolType: null,
    protocolName: null,
    leader: '',
    memberId,
    skipAssignment: false,
    members: [],
  };
}

export function syncError(errorCode: number): SyncResult {
  return { errorCode, protocolType: null, protocolName: null, assignment: Buffer.alloc(0) };
}

/** What JoinGroup tells a member of the new generation (the leader also gets every subscription). */
export function joinResultFor(group: Group, member: MemberMetadata): JoinResult {
  const isLeader = member.memberId === group.leaderId;
  const protocolName = group.protocolName as string;
  return {
    errorCode: ErrorCode.NONE,
    generationId: group.generationId,
    protocolType: group.protocolType,
    protocolName,
    leader: group.leaderId ?? '',
    memberId: member.memberId,
    skipAssignment: false,
    members: isLeader
      ? [...group.members.values()].map((m) => ({
          memberId: m.memberId,
          groupInstanceId: m.groupInstanceId,
          metadata: m.metadataFor(protocolName),
        }))
      : [],
  };
}

/** What SyncGroup tells a member: its assignment. */
export function syncResultFor(group: Group, member: MemberMetadata): SyncResult {
  return {
    errorCode: ErrorCode.NONE,
    protocolType: group.protocolType,
    protocolName: group.protocolName,
    assignment: member.assignment,
  };
}
