import type { MemberMetadata, MemberProtocol } from './group';

/** The protocols every member offers, in the order the first member listed them. */
export function candidateProtocols(members: readonly MemberMetadata[]): string[] {
  if (members.length === 0) return [];
  return members[0].protocols
    .map((p) => p.name)
    .filter((name) => members.every((m) => m.protocols.some((p) => p.name === name)));
}

/** Whether a joining member's protocols leave at least one protocol all members support. */
export function supportsProtocols(
  members: readonly MemberMetadata[],
  groupProtocolType: string | null,
  protocolType: string,
  protocols: readonly MemberProtocol[],
): boolean {
  if (members.length === 0) return protocolType !== '' && protocols.length > 0;
  if (protocolType !== groupProtocolType) return false;
  const candidates = new Set(candidateProtocols(members));
  return protocols.some((p) => candidates.has(p.name));
}

/**
 * Kafka's choice of the group protocol: among the protocols every member supports, each member
 * votes for the first one in its own preference order; the most votes wins. A tie goes to the
 * candidate the first member listed first, so the choice is deterministic.
 */
export function selectProtocol(members: readonly MemberMetadata[]): string | null {
  const candidates = candidateProtocols(members);
  if (candidates.length === 0) return null;
  const votes = new Map<string, number>(candidates.map((c) => [c, 0]));
  for (const member of members) {
    const choice = member.protocols.find((p) => votes.has(p.name));
    if (choice !== undefined) votes.set(choice.name, (votes.get(choice.name) ?? 0) + 1);
  }
  let best = candidates[0];
  for (const c of candidates) if ((votes.get(c) ?? 0) > (votes.get(best) ?? 0)) best = c;
  return best;
}
