/**
 * Where this member stands in the classic group protocol:
 * - `unjoined`: not a member (before subscribing, or after leaving because the application stalled);
 * - `joining`: finding the coordinator and sending JoinGroup;
 * - `syncing`: SyncGroup sent (the leader with the assignment it computed);
 * - `stable`: assignment received; heartbeats, auto-commits and fetches run;
 * - `rebalancing`: giving partitions up (commit, then revoke) before rejoining, leaving or closing;
 * - `closed`: done, for good.
 */
export type MembershipPhase = 'unjoined' | 'joining' | 'syncing' | 'stable' | 'rebalancing' | 'closed';
