import { createHash } from 'node:crypto';
import { Subject, timer, type Observable } from 'rxjs';
import { ErrorCode } from '../../protocol/errors';
import type { Clock } from '../../time/clock';
import type { GroupEvent } from '../group-coordinator/group-event';
import { EMPTY_ASSIGNMENT, minus, isEmpty, sameAssignment, type Assignment } from './assignment';
import { ConsumerGroup, LEAVE_STATIC_EPOCH, type ConsumerGroupMember } from './consumer-group';
import { rangeAssignor } from './range-assignor';
import { reconcile } from './reconcile';
import type { ServerAssignor } from './server-assignor';
import { uniformAssignor } from './uniform-assignor';

/** Broker configs of a KIP-848 coordinator, as Kafka's `group.consumer.*` of the same names. */
export interface ConsumerGroupCoordinatorConfig {
  /** group.consumer.session.timeout.ms; Kafka's default 45000. */
  readonly sessionTimeoutMs: number;
  /** group.consumer.heartbeat.interval.ms; Kafka's default 5000. */
  readonly heartbeatIntervalMs: number;
}

/** A ConsumerGroupHeartbeat as the coordinator reads it (owned partitions already named by topic). */
export interface ConsumerGroupHeartbeatInput {
  readonly version: number;
  readonly groupId: string;
  readonly memberId: string;
  readonly memberEpoch: number;
  readonly instanceId: string | null;
  readonly rackId: string | null;
  readonly rebalanceTimeoutMs: number;
  readonly subscribedTopicNames: readonly string[] | null;
  readonly subscribedTopicRegex: string | null;
  readonly serverAssignor: string | null;
  readonly owned: Assignment | null;
  readonly clientId: string;
  readonly clientHost: string;
}

export interface ConsumerGroupHeartbeatResult {
  readonly errorCode: number;
  readonly errorMessage: string | null;
  readonly memberId: string | null;
  readonly memberEpoch: number;
  readonly heartbeatIntervalMs: number;
  /** Sent on a full request or when it changed; null otherwise. */
  readonly assignment: Assignment | null;
}

/** A consumer group as a test (or ConsumerGroupDescribe) sees it. */
export interface ConsumerGroupDescription {
  readonly groupId: string;
  readonly state: ConsumerGroup['state'];
  readonly groupEpoch: number;
  readonly assignmentEpoch: number;
  readonly assignorName: string;
  readonly members: ReadonlyArray<{
    memberId: string;
    instanceId: string | null;
    rackId: string | null;
    clientId: string;
    clientHost: string;
    memberEpoch: number;
    state: ConsumerGroupMember['assignment']['state'];
    subscribedTopicNames: readonly string[];
    subscribedTopicRegex: string | null;
    assignment: Assignment;
    targetAssignment: Assignment;
  }>;
}

const assignors: ReadonlyMap<string, ServerAssignor> = new Map([
  ['uniform', uniformAssignor],
  ['range', rangeAssignor],
]);
const DEFAULT_ASSIGNOR = 'uniform';

/** A ConsumerGroupHeartbeat answer that is an error alone. */
export function heartbeatFailure(
  errorCode: number,
  errorMessage: string | null = null,
): ConsumerGroupHeartbeatResult {
  return {
    errorCode,
    errorMessage,
    memberId: null,
    memberEpoch: -1,
    heartbeatIntervalMs: 0,
    assignment: null,
  };
}

function isSubset(a: Assignment, b: Assignment): boolean {
  return isEmpty(minus(a, b));
}

/**
 * The broker side of KIP-848 consumer groups, after Kafka's GroupMetadataManager: a member joins,
 * heartbeats and leaves with ConsumerGroupHeartbeat alone. A change of members, subscriptions or
 * subscribed topics bumps the group epoch and computes a target assignment with the server-side
 * assignor; each member reconciles towards it at its own heartbeats (`reconcile`). Sessions and
 * revocations time out on the clock.
 */
export class ConsumerGroupCoordinator {
  private readonly groups = new Map<string, ConsumerGroup>();
  private memberSequence = 0;
  private readonly eventsSubject = new Subject<GroupEvent>();
  /** Members joining, expiring and leaving, and new group epochs, as they happen. */
  readonly events$: Observable<GroupEvent> = this.eventsSubject.asObservable();

  constructor(
    private readonly clock: Clock,
    private readonly config: ConsumerGroupCoordinatorConfig,
    /** The cluster's topics and their partition counts, read at every heartbeat. */
    private readonly partitionCounts: () => ReadonlyMap<string, number>,
  ) {}

  /** Whether `groupId` is a consumer group this coordinator knows (with members or not). */
  has(groupId: string): boolean {
    return this.groups.has(groupId);
  }

  heartbeat(input: ConsumerGroupHeartbeatInput): ConsumerGroupHeartbeatResult {
    const invalid = this.validate(input);
    if (invalid !== null) return invalid;
    let group = this.groups.get(input.groupId);
    if (input.memberEpoch < 0) return this.leave(group, input);
    if (group === undefined) {
      if (input.memberEpoch !== 0) return heartbeatFailure(ErrorCode.UNKNOWN_MEMBER_ID);
      group = new ConsumerGroup(input.groupId);
      this.groups.set(input.groupId, group);
    }
    const joined = input.memberEpoch === 0 ? this.join(group, input) : null;
    if (typeof joined === 'number') return heartbeatFailure(joined);
    const member = joined?.member ?? group.members.get(input.memberId);
    if (member === undefined)
      return heartbeatFailure(ErrorCode.UNKNOWN_MEMBER_ID, `unknown member ${input.memberId}`);
    if (input.memberEpoch !== 0 && !this.epochIsValid(member, input)) {
      return heartbeatFailure(
        ErrorCode.FENCED_MEMBER_EPOCH,
        `member epoch ${input.memberEpoch}, expected ${member.assignment.memberEpoch}`,
      );
    }
    const before = member.assignment.assigned;
    const subscriptionChanged = this.update(member, input);
    this.maybeBumpGroupEpoch(
      group,
      joined?.isNew === true
        ? `member ${member.memberId} joined`
        : subscriptionChanged
          ? `member ${member.memberId} changed its subscription`
          : null,
    );
    this.reconcileMember(group, member, input.owned);
    this.scheduleSession(group, member);
    const changed = !sameAssignment(before, member.assignment.assigned);
    return {
      errorCode: ErrorCode.NONE,
      errorMessage: null,
      memberId: member.memberId,
      memberEpoch: member.assignment.memberEpoch,
      heartbeatIntervalMs: this.config.heartbeatIntervalMs,
      assignment:
        input.memberEpoch === 0 || input.owned !== null || changed ? member.assignment.assigned : null,
    };
  }

  /**
   * An OffsetCommit's verdict for a consumer group (Kafka's ConsumerGroup.validateOffsetCommit):
   * the member's current epoch, or no member id and a negative epoch while the group is empty.
   */
  validateOffsetCommit(groupId: string, memberId: string, memberEpoch: number, version: number): number {
    const group = this.groups.get(groupId);
    if (group === undefined) return ErrorCode.GROUP_ID_NOT_FOUND;
    if (memberEpoch < 0 && memberId === '') {
      return group.members.size === 0 ? ErrorCode.NONE : ErrorCode.UNKNOWN_MEMBER_ID;
    }
    const member = group.members.get(memberId);
    if (member === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
    // Before v9 a commit carries a generation, which a consumer group does not have.
    if (version < 9) return ErrorCode.UNSUPPORTED_VERSION;
    if (memberEpoch > member.assignment.memberEpoch) return ErrorCode.FENCED_MEMBER_EPOCH;
    if (memberEpoch < member.assignment.memberEpoch) return ErrorCode.STALE_MEMBER_EPOCH;
    return ErrorCode.NONE;
  }

  /** An OffsetFetch's verdict (v9+ names the member): a member must ask with its current epoch. */
  validateOffsetFetch(groupId: string, memberId: string, memberEpoch: number): number {
    const group = this.groups.get(groupId);
    if (group === undefined || (memberEpoch < 0 && memberId === '')) return ErrorCode.NONE;
    const member = group.members.get(memberId);
    if (member === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
    return memberEpoch === member.assignment.memberEpoch ? ErrorCode.NONE : ErrorCode.STALE_MEMBER_EPOCH;
  }

  describe(groupId: string): ConsumerGroupDescription | undefined {
    const group = this.groups.get(groupId);
    if (group === undefined) return undefined;
    const counts = this.partitionCounts();
    return {
      groupId,
      state: group.state,
      groupEpoch: group.groupEpoch,
      assignmentEpoch: group.targetAssignmentEpoch,
      assignorName: group.assignorName,
      members: [...group.members.values()].map((m) => ({
        memberId: m.memberId,
        instanceId: m.instanceId,
        rackId: m.rackId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        memberEpoch: m.assignment.memberEpoch,
        state: m.assignment.state,
        subscribedTopicNames: [...this.subscribedTopics(m, counts)].sort(),
        subscribedTopicRegex: m.subscribedTopicRegex,
        assignment: m.assignment.assigned,
        targetAssignment: group.targetOf(m.memberId),
      })),
    };
  }

  list(): ConsumerGroupDescription[] {
    return [...this.groups.keys()].map((id) => this.describe(id) as ConsumerGroupDescription);
  }

  /** Cancels every timer (the cluster is closing). */
  close(): void {
    for (const group of this.groups.values()) {
      for (const m of group.members.values()) {
        m.sessionTimer?.unsubscribe();
        m.rebalanceTimer?.unsubscribe();
      }
    }
    this.eventsSubject.complete();
  }

  // ---- requests --------------------------------------------------------------------------

  private validate(input: ConsumerGroupHeartbeatInput): ConsumerGroupHeartbeatResult | null {
    if (input.groupId === '') return heartbeatFailure(ErrorCode.INVALID_REQUEST, 'GroupId can not be empty.');
    if (input.version >= 1 && input.memberId === '')
      return heartbeatFailure(ErrorCode.INVALID_REQUEST, 'MemberId can not be empty.');
    if (input.memberEpoch === 0) {
      if (input.rebalanceTimeoutMs === -1)
        return heartbeatFailure(
          ErrorCode.INVALID_REQUEST,
          'RebalanceTimeoutMs must be provided in first request.',
        );
      if (input.subscribedTopicNames === null && input.subscribedTopicRegex === null)
        return heartbeatFailure(
          ErrorCode.INVALID_REQUEST,
          'SubscribedTopicNames or SubscribedTopicRegex must be set in first request.',
        );
      if (input.owned !== null && !isEmpty(input.owned))
        return heartbeatFailure(
          ErrorCode.INVALID_REQUEST,
          'TopicPartitions must be empty when (re-)joining.',
        );
    }
    if (input.memberEpoch === LEAVE_STATIC_EPOCH && input.instanceId === null)
      return heartbeatFailure(ErrorCode.INVALID_REQUEST, 'InstanceId can not be null if MemberEpoch is -2.');
    if (input.serverAssignor !== null && !assignors.has(input.serverAssignor))
      return heartbeatFailure(
        ErrorCode.UNSUPPORTED_ASSIGNOR,
        `ServerAssignor ${input.serverAssignor} is not supported.`,
      );
    if (input.subscribedTopicRegex !== null) {
      try {
        new RegExp(input.subscribedTopicRegex);
      } catch {
        return heartbeatFailure(
          ErrorCode.INVALID_REGULAR_EXPRESSION,
          `Invalid regex: ${input.subscribedTopicRegex}`,
        );
      }
    }
    return null;
  }

  /** A (re)joining member; a static member that left takes its place back with its partitions. */
  private join(
    group: ConsumerGroup,
    input: ConsumerGroupHeartbeatInput,
  ): { member: ConsumerGroupMember; isNew: boolean } | number {
    const memberId = input.memberId === '' ? this.newMemberId() : input.memberId;
    const previousStatic = input.instanceId === null ? undefined : group.staticMember(input.instanceId);
    if (previousStatic !== undefined && previousStatic.memberId !== memberId && !previousStatic.leftStatic)
      return ErrorCode.UNRELEASED_INSTANCE_ID;
    const rejoining = group.members.get(memberId);
    // A member that rejoins with epoch 0 (after being fenced) starts over as a new member.
    if (rejoining !== undefined) this.removeMember(group, rejoining, 'rejoined with epoch 0');
    const member: ConsumerGroupMember = {
      memberId,
      instanceId: input.instanceId,
      clientId: input.clientId,
      clientHost: input.clientHost,
      rackId: null,
      rebalanceTimeoutMs: input.rebalanceTimeoutMs,
      subscribedTopicNames: null,
      subscribedTopicRegex: null,
      serverAssignor: null,
      assignment: {
        memberEpoch: 0,
        previousMemberEpoch: 0,
        state: 'STABLE',
        assigned: EMPTY_ASSIGNMENT,
        pendingRevocation: EMPTY_ASSIGNMENT,
      },
      leftStatic: false,
    };
    if (previousStatic !== undefined && previousStatic.memberId !== memberId) {
      // Kafka's static member replacement: the new member id inherits epoch and partitions, no rebalance.
      this.cancelTimers(previousStatic);
      group.members.delete(previousStatic.memberId);
      member.assignment = previousStatic.assignment;
      member.subscribedTopicNames = previousStatic.subscribedTopicNames;
      member.subscribedTopicRegex = previousStatic.subscribedTopicRegex;
      member.serverAssignor = previousStatic.serverAssignor;
      const target = group.target.get(previousStatic.memberId);
      group.target.delete(previousStatic.memberId);
      if (target !== undefined) group.target.set(memberId, target);
      group.members.set(memberId, member);
      this.emit({
        type: 'member-replaced',
        groupId: group.groupId,
        memberId,
        oldMemberId: previousStatic.memberId,
      });
      return { member, isNew: false };
    }
    group.members.set(memberId, member);
    this.emit({ type: 'member-joined', groupId: group.groupId, memberId });
    return { member, isNew: true };
  }

  /** Epoch -1 leaves (its partitions are reassigned at once); -2, a static member, keeps them until its session ends. */
  private leave(
    group: ConsumerGroup | undefined,
    input: ConsumerGroupHeartbeatInput,
  ): ConsumerGroupHeartbeatResult {
    const member = group?.members.get(input.memberId);
    if (group === undefined || member === undefined)
      return heartbeatFailure(ErrorCode.UNKNOWN_MEMBER_ID, `unknown member ${input.memberId}`);
    if (input.memberEpoch === LEAVE_STATIC_EPOCH) {
      member.leftStatic = true;
      member.rebalanceTimer?.unsubscribe();
      this.scheduleSession(group, member);
    } else {
      this.removeMember(group, member, 'left the group');
      this.bumpGroupEpoch(group, `member ${member.memberId} left`);
    }
    return {
      errorCode: ErrorCode.NONE,
      errorMessage: null,
      memberId: member.memberId,
      memberEpoch: input.memberEpoch,
      heartbeatIntervalMs: 0,
      assignment: null,
    };
  }

  /** Kafka's throwIfMemberEpochIsInvalid: an older epoch is forgiven only if the answer to it was lost. */
  private epochIsValid(member: ConsumerGroupMember, input: ConsumerGroupHeartbeatInput): boolean {
    const current = member.assignment;
    if (input.memberEpoch === current.memberEpoch) return true;
    if (input.memberEpoch > current.memberEpoch) return false;
    return (
      input.memberEpoch === current.previousMemberEpoch &&
      input.owned !== null &&
      isSubset(input.owned, current.assigned)
    );
  }

  /** Takes the request's non-null fields; true when the subscription or the assignor changed. */
  private update(member: ConsumerGroupMember, input: ConsumerGroupHeartbeatInput): boolean {
    member.leftStatic = false;
    if (input.rackId !== null) member.rackId = input.rackId;
    if (input.rebalanceTimeoutMs !== -1) member.rebalanceTimeoutMs = input.rebalanceTimeoutMs;
    let changed = false;
    const names = input.subscribedTopicNames === null ? null : [...input.subscribedTopicNames].sort();
    if (names !== null && names.join('\0') !== (member.subscribedTopicNames ?? []).join('\0')) {
      member.subscribedTopicNames = names;
      changed = true;
    }
    // An empty regex clears the subscription by regex, as in Kafka; sent again, it changes nothing.
    const regex = input.subscribedTopicRegex === '' ? null : input.subscribedTopicRegex;
    if (input.subscribedTopicRegex !== null && regex !== member.subscribedTopicRegex) {
      member.subscribedTopicRegex = regex;
      changed = true;
    }
    if (input.serverAssignor !== null && input.serverAssignor !== member.serverAssignor) {
      member.serverAssignor = input.serverAssignor;
      changed = true;
    }
    return changed;
  }

  // ---- epochs and assignment -------------------------------------------------------------

  private subscribedTopics(member: ConsumerGroupMember, counts: ReadonlyMap<string, number>): Set<string> {
    const topics = new Set<string>();
    for (const name of member.subscribedTopicNames ?? []) if (counts.has(name)) topics.add(name);
    if (member.subscribedTopicRegex !== null) {
      const regex = new RegExp(`^(?:${member.subscribedTopicRegex})$`);
      for (const name of counts.keys()) if (regex.test(name) && !name.startsWith('__')) topics.add(name);
    }
    return topics;
  }

  /** Bumps the group epoch if `reason` is given or the subscribed topics' partitions changed. */
  private maybeBumpGroupEpoch(group: ConsumerGroup, reason: string | null): void {
    if (reason !== null) this.bumpGroupEpoch(group, reason);
    else if (this.subscriptionMetadata(group) !== group.subscriptionMetadata)
      this.bumpGroupEpoch(group, 'subscribed topics changed');
  }

  private subscriptionMetadata(group: ConsumerGroup): string {
    const counts = this.partitionCounts();
    const topics = new Set<string>();
    for (const m of group.members.values()) for (const t of this.subscribedTopics(m, counts)) topics.add(t);
    return [...topics]
      .sort()
      .map((t) => `${t}:${counts.get(t) ?? 0}`)
      .join(',');
  }

  /** A new group epoch and its target assignment (Kafka computes it at the next heartbeat; the result is the same). */
  private bumpGroupEpoch(group: ConsumerGroup, reason: string): void {
    group.groupEpoch += 1;
    const counts = this.partitionCounts();
    group.subscriptionMetadata = this.subscriptionMetadata(group);
    const members = [...group.members.values()];
    group.assignorName = members.find((m) => m.serverAssignor !== null)?.serverAssignor ?? DEFAULT_ASSIGNOR;
    const assignor = assignors.get(group.assignorName) ?? uniformAssignor;
    const subscribed = new Map<string, number>();
    const assignorMembers = members.map((m) => {
      const topics = this.subscribedTopics(m, counts);
      for (const t of topics) subscribed.set(t, counts.get(t) ?? 0);
      return { memberId: m.memberId, topics, current: group.targetOf(m.memberId) };
    });
    group.target = assignor(assignorMembers, subscribed);
    group.targetAssignmentEpoch = group.groupEpoch;
    this.emit({
      type: 'rebalance-started',
      groupId: group.groupId,
      generationId: group.groupEpoch,
      reason,
    });
    this.emit({
      type: 'generation',
      groupId: group.groupId,
      generationId: group.groupEpoch,
      members: members.map((m) => m.memberId),
    });
  }

  private reconcileMember(group: ConsumerGroup, member: ConsumerGroupMember, owned: Assignment | null): void {
    const before = member.assignment;
    member.assignment = reconcile(
      before,
      group.targetAssignmentEpoch,
      group.targetOf(member.memberId),
      owned,
      (topic, partition) => group.ownedByOther(member.memberId, topic, partition),
    );
    if (member.assignment.state === 'UNREVOKED_PARTITIONS') {
      // The member has its rebalance timeout to give the partitions up, else it is fenced.
      if (before.state !== 'UNREVOKED_PARTITIONS') {
        member.rebalanceTimer?.unsubscribe();
        member.rebalanceTimer = timer(member.rebalanceTimeoutMs, this.clock).subscribe(() => {
          if (group.members.get(member.memberId) !== member) return;
          this.removeMember(group, member, 'did not revoke its partitions in time');
          this.bumpGroupEpoch(group, `member ${member.memberId} fenced`);
        });
      }
    } else {
      member.rebalanceTimer?.unsubscribe();
      member.rebalanceTimer = undefined;
    }
    if (before.memberEpoch !== member.assignment.memberEpoch && group.state === 'Stable') {
      this.emit({ type: 'stable', groupId: group.groupId, generationId: group.groupEpoch });
    }
  }

  // ---- members ---------------------------------------------------------------------------

  /** (Re)starts a member's session: without a heartbeat before it ends, the member is removed. */
  private scheduleSession(group: ConsumerGroup, member: ConsumerGroupMember): void {
    member.sessionTimer?.unsubscribe();
    member.sessionTimer = timer(this.config.sessionTimeoutMs, this.clock).subscribe(() => {
      if (group.members.get(member.memberId) !== member) return;
      this.emit({ type: 'member-expired', groupId: group.groupId, memberId: member.memberId });
      this.removeMember(group, member, 'session timeout');
      this.bumpGroupEpoch(group, `member ${member.memberId} session timeout`);
    });
  }

  private removeMember(group: ConsumerGroup, member: ConsumerGroupMember, reason: string): void {
    this.cancelTimers(member);
    group.members.delete(member.memberId);
    group.target.delete(member.memberId);
    this.emit({ type: 'member-removed', groupId: group.groupId, memberId: member.memberId, reason });
  }

  private cancelTimers(member: ConsumerGroupMember): void {
    member.sessionTimer?.unsubscribe();
    member.rebalanceTimer?.unsubscribe();
  }

  /** A UUID-shaped member id for v0 (v1 clients make up their own); from a counter, so runs repeat. */
  private newMemberId(): string {
    const hex = createHash('sha256').update(`consumer-member:${++this.memberSequence}`).digest('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
  }

  private emit(event: GroupEvent): void {
    this.eventsSubject.next(event);
  }
}
