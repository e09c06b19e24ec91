import type { CoordinatorContext } from './coordinator-context';
import type { Group } from './group';

/** A group as a test sees it. */
export interface GroupDescription {
  readonly groupId: string;
  readonly state: Group['state'];
  readonly generationId: number;
  readonly protocolType: string | null;
  readonly protocolName: string | null;
  readonly leaderId: string | null;
  readonly members: ReadonlyArray<{
    memberId: string;
    groupInstanceId: string | null;
    clientId: string;
    clientHost: string;
    /** The subscription the member gave for the group's chosen protocol. */
    metadata: Buffer;
    assignment: Buffer;
  }>;
}

/** One group as a test sees it; undefined for a group the coordinator does not know. */
export function describe(ctx: CoordinatorContext, groupId: string): GroupDescription | undefined {
  const group = ctx.groups.get(groupId);
  if (group === undefined) return undefined;
  return {
    groupId,
    state: group.state,
    generationId: group.generationId,
    protocolType: group.protocolType,
    protocolName: group.protocolName,
    leaderId: group.leaderId,
    members: [...group.members.values()].map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      clientId: m.clientId,
      clientHost: m.clientHost,
      metadata: group.protocolName === null ? Buffer.alloc(0) : m.metadataFor(group.protocolName),
      assignment: m.assignment,
    })),
  };
}

/** Every group the coordinator knows. */
export function list(ctx: CoordinatorContext): GroupDescription[] {
  return [...ctx.groups.keys()].map((id) => describe(ctx, id) as GroupDescription);
}
