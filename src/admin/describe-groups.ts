import { catchError, map, of, switchMap, throwError, type Observable } from 'rxjs';
import { KafkaRxError } from '../errors';
import { decodeVersioned } from '../protocol/codec';
import type { ResponseOf } from '../protocol/spec-types';
import { ErrorCode } from '../protocol/errors';
import { ConsumerGroupDescribe, ConsumerProtocolAssignment, DescribeGroups } from '../protocol/specs';
import type { AdminContext } from './admin-context';
import { coordinatorRequest } from './coordinator-request';
import { itemError } from './item-error';
import { retryEach } from './retry-each';
import { byTopicPartition, type PartitionOf } from './topic-partition';

export interface GroupMember {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  /** The member's partitions, decoded from the consumer protocol's Assignment; empty for other protocols. */
  readonly assignment: readonly PartitionOf[];
}

export interface GroupDescription {
  readonly groupId: string;
  /** `classic` (JoinGroup/SyncGroup), or `consumer` for a group of the KIP-848 protocol. */
  readonly type: 'classic' | 'consumer';
  /** Kafka's state name: `Empty`, `Stable`, `PreparingRebalance`, `CompletingRebalance`, `Dead`, ... */
  readonly state: string;
  /** `consumer` for consumer groups, empty for a group that does not exist. */
  readonly protocolType: string;
  /** The classic group's chosen assignor (`range`, ...); for KIP-848 groups the broker's assignor (`uniform`, ...). */
  readonly protocol: string;
  readonly members: readonly GroupMember[];
  readonly error?: KafkaRxError;
}

/** A consumer-protocol Assignment as partitions (bytes that do not decode are a DecodeError). */
function decodeAssignment(protocolType: string, bytes: Buffer | null): PartitionOf[] {
  if (protocolType !== 'consumer' || bytes === null || bytes.length === 0) return [];
  const { body } = decodeVersioned(ConsumerProtocolAssignment, bytes);
  return body.assignedPartitions
    .flatMap((a) => a.partitions.map((partition) => ({ topic: a.topic, partition })))
    .sort(byTopicPartition);
}

function description(
  groupId: string,
  group: ResponseOf<typeof DescribeGroups>['groups'][number] | undefined,
): GroupDescription {
  const base = { groupId, type: 'classic' as const, state: '', protocolType: '', protocol: '', members: [] };
  if (group === undefined)
    return { ...base, error: itemError(-1, `group ${JSON.stringify(groupId)}`, 'no answer for this group') };
  const error = itemError(group.errorCode, `group ${JSON.stringify(groupId)}`);
  if (error) return { ...base, error };
  return {
    groupId,
    type: 'classic',
    state: group.groupState,
    protocolType: group.protocolType,
    protocol: group.protocolData,
    members: group.members.map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId ?? null,
      clientId: m.clientId,
      clientHost: m.clientHost,
      assignment: decodeAssignment(group.protocolType, m.memberAssignment),
    })),
  };
}

/** A KIP-848 group as ConsumerGroupDescribe describes it; members' current assignments. */
function consumerGroupDescription(
  group: ResponseOf<typeof ConsumerGroupDescribe>['groups'][number],
): GroupDescription {
  return {
    groupId: group.groupId,
    type: 'consumer',
    state: group.groupState,
    protocolType: 'consumer',
    protocol: group.assignorName,
    members: group.members.map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.instanceId ?? null,
      clientId: m.clientId,
      clientHost: m.clientHost,
      assignment: m.assignment.topicPartitions
        .flatMap((t) => t.partitions.map((partition) => ({ topic: t.topicName, partition })))
        .sort(byTopicPartition),
    })),
  };
}

/**
 * ConsumerGroupDescribe for a group DescribeGroups called Dead: DescribeGroups does not see groups of
 * the KIP-848 protocol. A group that is not one (GROUP_ID_NOT_FOUND), or a broker without the API,
 * leaves the first answer standing.
 */
function describeConsumerGroup(ctx: AdminContext, classic: GroupDescription): Observable<GroupDescription> {
  return coordinatorRequest(
    ctx,
    classic.groupId,
    ConsumerGroupDescribe,
    { groupIds: [classic.groupId], includeAuthorizedOperations: false },
    (r) => r.groups[0]?.errorCode ?? 0,
  ).pipe(
    map((r) => {
      const group = r.groups.find((g) => g.groupId === classic.groupId);
      if (group === undefined || group.errorCode === ErrorCode.GROUP_ID_NOT_FOUND) return classic;
      const error = itemError(
        group.errorCode,
        `group ${JSON.stringify(classic.groupId)}`,
        group.errorMessage,
      );
      return error ? { ...classic, error } : consumerGroupDescription(group);
    }),
    catchError((error: unknown) =>
      error instanceof KafkaRxError && error.name === 'UnsupportedVersionError'
        ? of(classic)
        : throwError(() => error),
    ),
  );
}

/** DescribeGroups for one group, to its coordinator (then ConsumerGroupDescribe if it looks Dead). */
function describeOne(ctx: AdminContext, groupId: string): Observable<GroupDescription> {
  return coordinatorRequest(
    ctx,
    groupId,
    DescribeGroups,
    { groups: [groupId], includeAuthorizedOperations: false },
    (r) => r.groups[0]?.errorCode ?? 0,
  ).pipe(
    map((r) =>
      description(
        groupId,
        r.groups.find((g) => g.groupId === groupId),
      ),
    ),
    switchMap((classic) =>
      classic.state === 'Dead' && classic.error === undefined
        ? describeConsumerGroup(ctx, classic)
        : of(classic),
    ),
  );
}

/**
 * Groups' state, protocol and members, each group asked of its own coordinator (all at once).
 * Members of consumer groups come with their assignment (decoded from the consumer protocol for
 * classic groups). Groups of the KIP-848 protocol are described with ConsumerGroupDescribe. A group
 * that does not exist is reported as Kafka reports it: state `Dead`, no members.
 */
export function describeGroups$(
  ctx: AdminContext,
  groupIds: readonly string[],
): Observable<GroupDescription[]> {
  return retryEach(groupIds, (groupId) => describeOne(ctx, groupId), ctx.retry);
}
