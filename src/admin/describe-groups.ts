import { forkJoin, map, of, type Observable } from 'rxjs';
import type { KafkaRxError } from '../errors';
import { decodeVersioned } from '../protocol/codec';
import type { Message } from '../protocol/spec';
import { ConsumerProtocolAssignment, DescribeGroups } from '../protocol/specs';
import type { AdminContext } from './admin-context';
import { coordinatorRequest } from './coordinator-request';
import { itemError } from './item-error';
import { retryItems } from './retry-items';
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
  /** Kafka's state name: `Empty`, `Stable`, `PreparingRebalance`, `CompletingRebalance`, `Dead`, ... */
  readonly state: string;
  /** `consumer` for consumer groups, empty for a group that does not exist. */
  readonly protocolType: string;
  /** The classic group's chosen assignor (`range`, ...); for KIP-848 groups the broker names its own. */
  readonly protocol: string;
  readonly members: readonly GroupMember[];
  readonly error?: KafkaRxError;
}

/** A consumer-protocol Assignment as partitions (bytes that do not decode are a DecodeError). */
function decodeAssignment(protocolType: string, bytes: Buffer | null): PartitionOf[] {
  if (protocolType !== 'consumer' || bytes === null || bytes.length === 0) return [];
  const { body } = decodeVersioned(ConsumerProtocolAssignment, bytes);
  return (body.assignedPartitions as Message[])
    .flatMap((a) => (a.partitions as number[]).map((partition) => ({ topic: a.topic as string, partition })))
    .sort(byTopicPartition);
}

function description(groupId: string, group: Message | undefined): GroupDescription {
  const base = { groupId, state: '', protocolType: '', protocol: '', members: [] };
  if (group === undefined)
    return { ...base, error: itemError(-1, `group ${JSON.stringify(groupId)}`, 'no answer for this group') };
  const error = itemError(group.errorCode, `group ${JSON.stringify(groupId)}`);
  if (error) return { ...base, error };
  return {
    groupId,
    state: group.groupState,
    protocolType: group.protocolType,
    protocol: group.protocolData,
    members: (group.members as Message[]).map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId ?? null,
      clientId: m.clientId,
      clientHost: m.clientHost,
      assignment: decodeAssignment(group.protocolType, m.memberAssignment),
    })),
  };
}

/** DescribeGroups for one group, to its coordinator. */
function describeOne(ctx: AdminContext, groupId: string): Observable<GroupDescription> {
  return coordinatorRequest(
    ctx,
    groupId,
    DescribeGroups,
    { groups: [groupId], includeAuthorizedOperations: false },
    (r) => (r.groups as Message[])[0]?.errorCode ?? 0,
  ).pipe(
    map((r) =>
      description(
        groupId,
        (r.groups as Message[]).find((g) => g.groupId === groupId),
      ),
    ),
  );
}

/**
 * Groups' state, protocol and members, each group asked of its own coordinator (all at once).
 * Members of consumer groups come with their decoded assignment. A group that does not exist is
 * reported by Kafka as state `Dead` with no members.
 */
export function describeGroups$(
  ctx: AdminContext,
  groupIds: readonly string[],
): Observable<GroupDescription[]> {
  const send = (batch: readonly string[]) =>
    batch.length === 0 ? of([]) : forkJoin(batch.map((groupId) => describeOne(ctx, groupId)));
  return retryItems(groupIds, send, ctx.retry);
}
