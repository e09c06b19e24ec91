import type { MemberSubscription } from './assignor';

/**
 * Orders members as Kafka's assignors do: static members by their `groupInstanceId`, which
 * survives restarts, so a restarted static member gets the same partitions back; then dynamic
 * members by `memberId`.
 */
export function compareMembers(a: MemberSubscription, b: MemberSubscription): number {
  if (a.groupInstanceId !== null && b.groupInstanceId !== null)
    return compareStrings(a.groupInstanceId, b.groupInstanceId);
  if (a.groupInstanceId !== null) return -1;
  if (b.groupInstanceId !== null) return 1;
  return compareStrings(a.memberId, b.memberId);
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
