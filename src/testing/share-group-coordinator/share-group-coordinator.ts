import { Subject, timer, type Observable } from 'rxjs';
import { ErrorCode } from '../../protocol/errors';
import type { Clock } from '../../time/clock';
import type { GroupEvent } from '../group-coordinator/group-event';
import { assignmentOf, sameAssignment, type Assignment } from '../consumer-group-coordinator/assignment';
import { heartbeatFailure } from '../consumer-group-coordinator/consumer-group-coordinator';
import { ShareGroup, type ShareGroupMember } from './share-group';
import type { ShareGroupConfig } from './share-group-config';

/** A ShareGroupHeartbeat as the coordinator reads it. */
export interface ShareGroupHeartbeatInput {
  readonly groupId: string;
  readonly memberId: string;
  readonly memberEpoch: number;
  readonly rackId: string | null;
  readonly subscribedTopicNames: readonly string[] | null;
  readonly clientId: string;
  readonly clientHost: string;
}

export interface ShareGroupHeartbeatResult {
  readonly errorCode: number;
  readonly errorMessage: string | null;
  readonly memberId: string | null;
  readonly memberEpoch: number;
  readonly heartbeatIntervalMs: number;
  /** Sent when joining or when it changed; null otherwise. */
  readonly assignment: Assignment | null;
}

/** A share group as a test sees it. */
export interface ShareGroupDescription {
  readonly groupId: string;
  readonly state: ShareGroup['state'];
  readonly groupEpoch: number;
  readonly members: ReadonlyArray<{
    memberId: string;
    memberEpoch: number;
    clientId: string;
    clientHost: string;
    rackId: string | null;
    subscribedTopicNames: readonly string[];
    assignment: Assignment;
  }>;
}

/** Kafka's ShareGroupHeartbeat epoch for leaving. */
const LEAVE_EPOCH = -1;

/**
 * The broker side of share group membership (KIP-932): ShareGroupHeartbeat joins (epoch 0),
 * heartbeats and leaves (epoch -1); a member without a heartbeat for the session timeout is
 * removed on the clock. A change of members or of subscribed partitions bumps the group epoch;
 * each member takes it at its next heartbeat. Assignment: every member gets every partition of
 * the topics it subscribes to. Kafka's simple assignor spreads partitions over members when there
 * are enough; records are shared record by record either way, which is what a test observes.
 */
export class ShareGroupCoordinator {
  private readonly groups = new Map<string, ShareGroup>();
  private readonly eventsSubject = new Subject<GroupEvent>();
  /** Members joining, expiring and leaving, and new group epochs, as they happen. */
  readonly events$: Observable<GroupEvent> = this.eventsSubject.asObservable();

  constructor(
    private readonly clock: Clock,
    private readonly config: ShareGroupConfig,
    /** The cluster's topics and their partition counts, read at every heartbeat. */
    private readonly partitionCounts: () => ReadonlyMap<string, number>,
    /** A member is gone (left or expired): its share sessions end and its records are released. */
    private readonly memberRemoved: (groupId: string, memberId: string) => void,
  ) {}

  has(groupId: string): boolean {
    return this.groups.has(groupId);
  }

  heartbeat(input: ShareGroupHeartbeatInput): ShareGroupHeartbeatResult {
    if (input.groupId === '') return heartbeatFailure(ErrorCode.INVALID_REQUEST, 'GroupId can not be empty.');
    if (input.memberId === '')
      return heartbeatFailure(ErrorCode.INVALID_REQUEST, 'MemberId can not be empty.');
    if (input.memberEpoch < LEAVE_EPOCH)
      return heartbeatFailure(ErrorCode.INVALID_REQUEST, `MemberEpoch is invalid: ${input.memberEpoch}.`);
    if (input.memberEpoch === 0 && (input.subscribedTopicNames ?? []).length === 0)
      return heartbeatFailure(
        ErrorCode.INVALID_REQUEST,
        'SubscribedTopicNames must be set in first request.',
      );
    let group = this.groups.get(input.groupId);
    if (input.memberEpoch === LEAVE_EPOCH) return this.leave(group, input);
    if (group === undefined) {
      if (input.memberEpoch !== 0) return heartbeatFailure(ErrorCode.UNKNOWN_MEMBER_ID);
      group = new ShareGroup(input.groupId);
      this.groups.set(input.groupId, group);
    }
    let member = group.members.get(input.memberId);
    let reason: string | null = null;
    if (member === undefined) {
      if (input.memberEpoch !== 0)
        return heartbeatFailure(ErrorCode.UNKNOWN_MEMBER_ID, `unknown member ${input.memberId}`);
      member = {
        memberId: input.memberId,
        clientId: input.clientId,
        clientHost: input.clientHost,
        rackId: null,
        memberEpoch: 0,
        subscribedTopicNames: [],
        assignment: new Map(),
        sentAssignment: null,
      };
      group.members.set(member.memberId, member);
      this.emit({ type: 'member-joined', groupId: group.groupId, memberId: member.memberId });
      reason = `member ${member.memberId} joined`;
    } else if (input.memberEpoch === 0) {
      // Rejoining with epoch 0: the member is told its whole assignment again.
      member.sentAssignment = null;
    } else if (input.memberEpoch !== member.memberEpoch) {
      return heartbeatFailure(
        ErrorCode.FENCED_MEMBER_EPOCH,
        `member epoch ${input.memberEpoch}, expected ${member.memberEpoch}`,
      );
    }
    if (input.rackId !== null) member.rackId = input.rackId;
    const names =
      input.subscribedTopicNames === null ? null : [...new Set(input.subscribedTopicNames)].sort();
    if (names !== null && names.join('\0') !== member.subscribedTopicNames.join('\0')) {
      member.subscribedTopicNames = names;
      reason ??= `member ${member.memberId} changed its subscription`;
    }
    if (reason !== null || this.subscriptionMetadata(group) !== group.subscriptionMetadata)
      this.bumpGroupEpoch(group, reason ?? 'subscribed topics changed');
    member.memberEpoch = group.groupEpoch;
    member.assignment = this.assignmentOf(member);
    const tell = member.sentAssignment === null || !sameAssignment(member.sentAssignment, member.assignment);
    if (tell) member.sentAssignment = member.assignment;
    this.scheduleSession(group, member);
    return {
      errorCode: ErrorCode.NONE,
      errorMessage: null,
      memberId: member.memberId,
      memberEpoch: member.memberEpoch,
      heartbeatIntervalMs: this.config.heartbeatIntervalMs,
      assignment: tell ? member.assignment : null,
    };
  }

  describe(groupId: string): ShareGroupDescription | undefined {
    const group = this.groups.get(groupId);
    if (group === undefined) return undefined;
    return {
      groupId,
      state: group.state,
      groupEpoch: group.groupEpoch,
      members: [...group.members.values()].map((m) => ({
        memberId: m.memberId,
        memberEpoch: m.memberEpoch,
        clientId: m.clientId,
        clientHost: m.clientHost,
        rackId: m.rackId,
        subscribedTopicNames: m.subscribedTopicNames,
        assignment: m.assignment,
      })),
    };
  }

  list(): ShareGroupDescription[] {
    return [...this.groups.keys()].map((id) => this.describe(id) as ShareGroupDescription);
  }

  /** Cancels every timer (the cluster is closing). */
  close(): void {
    for (const group of this.groups.values())
      for (const m of group.members.values()) m.sessionTimer?.unsubscribe();
    this.eventsSubject.complete();
  }

  private leave(group: ShareGroup | undefined, input: ShareGroupHeartbeatInput): ShareGroupHeartbeatResult {
    const member = group?.members.get(input.memberId);
    if (group === undefined || member === undefined)
      return heartbeatFailure(ErrorCode.UNKNOWN_MEMBER_ID, `unknown member ${input.memberId}`);
    this.removeMember(group, member, 'left the group');
    return {
      errorCode: ErrorCode.NONE,
      errorMessage: null,
      memberId: member.memberId,
      memberEpoch: LEAVE_EPOCH,
      heartbeatIntervalMs: 0,
      assignment: null,
    };
  }

  /** Every partition of the member's subscribed topics that exist. */
  private assignmentOf(member: ShareGroupMember): Assignment {
    const counts = this.partitionCounts();
    return assignmentOf(
      member.subscribedTopicNames.flatMap((t) => {
        const n = counts.get(t);
        return n === undefined ? [] : [[t, Array.from({ length: n }, (_, p) => p)] as const];
      }),
    );
  }

  private subscriptionMetadata(group: ShareGroup): string {
    const counts = this.partitionCounts();
    const topics = new Set<string>();
    for (const m of group.members.values())
      for (const t of m.subscribedTopicNames) if (counts.has(t)) topics.add(t);
    return [...topics]
      .sort()
      .map((t) => `${t}:${counts.get(t)}`)
      .join(',');
  }

  private bumpGroupEpoch(group: ShareGroup, reason: string): void {
    group.groupEpoch += 1;
    group.subscriptionMetadata = this.subscriptionMetadata(group);
    this.emit({ type: 'rebalance-started', groupId: group.groupId, generationId: group.groupEpoch, reason });
    this.emit({
      type: 'generation',
      groupId: group.groupId,
      generationId: group.groupEpoch,
      members: [...group.members.keys()],
    });
  }

  /** (Re)starts a member's session: without a heartbeat before it ends, the member is removed. */
  private scheduleSession(group: ShareGroup, member: ShareGroupMember): void {
    member.sessionTimer?.unsubscribe();
    member.sessionTimer = timer(this.config.sessionTimeoutMs, this.clock).subscribe(() => {
      if (group.members.get(member.memberId) !== member) return;
      this.emit({ type: 'member-expired', groupId: group.groupId, memberId: member.memberId });
      this.removeMember(group, member, 'session timeout');
    });
  }

  private removeMember(group: ShareGroup, member: ShareGroupMember, reason: string): void {
    member.sessionTimer?.unsubscribe();
    group.members.delete(member.memberId);
    this.emit({ type: 'member-removed', groupId: group.groupId, memberId: member.memberId, reason });
    this.bumpGroupEpoch(group, `member ${member.memberId} ${reason}`);
    this.memberRemoved(group.groupId, member.memberId);
  }

  private emit(event: GroupEvent): void {
    this.eventsSubject.next(event);
  }
}
