import type { Subscription } from 'rxjs';

/** Kafka's classic group states (GroupMetadata's). */
export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

/** A protocol a member offers in JoinGroup: an assignor name and its subscription bytes. */
export interface MemberProtocol {
  readonly name: string;
  readonly metadata: Buffer;
}

/** What a JoinGroup request gets back, in JoinGroupResponse's words. */
export interface JoinResult {
  readonly errorCode: number;
  readonly generationId: number;
  readonly protocolType: string | null;
  readonly protocolName: string | null;
  readonly leader: string;
  readonly memberId: string;
  readonly skipAssignment: boolean;
  readonly members: ReadonlyArray<{ memberId: string; groupInstanceId: string | null; metadata: Buffer }>;
}

/** What a SyncGroup request gets back. */
export interface SyncResult {
  readonly errorCode: number;
  readonly protocolType: string | null;
  readonly protocolName: string | null;
  readonly assignment: Buffer;
}

/** A committed offset, as OffsetFetch returns it. */
export interface CommittedOffset {
  readonly offset: bigint;
  readonly leaderEpoch: number;
  readonly metadata: string | null;
  /** When it was committed, on the cluster's clock. */
  readonly commitTimestamp: number;
}

/** One member of a classic group, as the coordinator keeps it (Kafka's `MemberMetadata`). */
export class MemberMetadata {
  assignment: Buffer = Buffer.alloc(0);
  /** Set while a JoinGroup request of this member waits for the rebalance to complete. */
  awaitingJoin: ((result: JoinResult) => void) | undefined;
  /** Set while a SyncGroup request of this member waits for the leader's assignment. */
  awaitingSync: ((result: SyncResult) => void) | undefined;
  /** The session timeout running on the clock; replaced on each heartbeat. */
  sessionTimer: Subscription | undefined;

  constructor(
    readonly memberId: string,
    readonly groupInstanceId: string | null,
    readonly clientId: string,
    readonly clientHost: string,
    public sessionTimeoutMs: number,
    public rebalanceTimeoutMs: number,
    public protocolType: string,
    public protocols: readonly MemberProtocol[],
  ) {}

  /** Same protocols, names and metadata alike, in the same order (Kafka's `matches`). */
  matches(protocols: readonly MemberProtocol[]): boolean {
    return (
      protocols.length === this.protocols.length &&
      protocols.every(
        (p, i) => p.name === this.protocols[i].name && p.metadata.equals(this.protocols[i].metadata),
      )
    );
  }

  /** The subscription bytes this member gave for `protocolName`. */
  metadataFor(protocolName: string): Buffer {
    return this.protocols.find((p) => p.name === protocolName)?.metadata ?? Buffer.alloc(0);
  }
}

/** A classic consumer group as its coordinator holds it. */
export class Group {
  state: GroupState = 'Empty';
  generationId = 0;
  protocolType: string | null = null;
  protocolName: string | null = null;
  leaderId: string | null = null;
  /** Members in the order they joined (the first is the leader by default). */
  readonly members = new Map<string, MemberMetadata>();
  /** Member ids handed out with MEMBER_ID_REQUIRED, waiting for the member to join with them. */
  readonly pendingMembers = new Map<string, Subscription>();
  /** groupInstanceId -> memberId of static members. */
  readonly staticMembers = new Map<string, string>();
  /** Members that joined the current generation and have not sent SyncGroup yet. */
  readonly pendingSyncMembers = new Set<string>();
  /** topic -> partition -> committed offset. */
  readonly offsets = new Map<string, Map<number, CommittedOffset>>();
  /** The rebalance (or initial delay) timer while PreparingRebalance. */
  joinTimer: Subscription | undefined;
  /** The timer for members that do not SyncGroup within the rebalance timeout. */
  syncTimer: Subscription | undefined;
  /** The initial rebalance delay is running: the join does not complete early. */
  initialDelayRunning = false;
  newMemberAdded = false;

  constructor(readonly groupId: string) {}

  /** A static member whose instance id now belongs to another member id. */
  isStaticMemberFenced(memberId: string, groupInstanceId: string | null | undefined): boolean {
    if (groupInstanceId === null || groupInstanceId === undefined) return false;
    const current = this.staticMembers.get(groupInstanceId);
    return current !== undefined && current !== memberId;
  }

  /** Every member has sent JoinGroup for the next generation, and no member id is pending. */
  hasAllMembersJoined(): boolean {
    for (const member of this.members.values()) if (member.awaitingJoin === undefined) return false;
    return this.pendingMembers.size === 0;
  }

  /** The longest rebalance timeout among members: how long a rebalance may wait for them. */
  rebalanceTimeoutMs(): number {
    let max = 0;
    for (const member of this.members.values()) max = Math.max(max, member.rebalanceTimeoutMs);
    return max;
  }
}
