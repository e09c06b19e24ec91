import { createHash } from 'node:crypto';
import { Subject, timer, type Observable } from 'rxjs';
import { ErrorCode } from '../../protocol/errors';
import { now, type Clock } from '../../time/clock';
import {
  Group,
  MemberMetadata,
  type CommittedOffset,
  type JoinResult,
  type MemberProtocol,
  type SyncResult,
} from './group';
import { selectProtocol, supportsProtocols } from './protocol-vote';
import type { GroupEvent } from './group-event';
import type { OffsetToCommit } from './offset-to-commit';

/** Limits a group coordinator enforces, as Kafka's broker configs of the same names. */
export interface GroupCoordinatorConfig {
  /** group.min.session.timeout.ms; Kafka's default 6000. */
  readonly minSessionTimeoutMs: number;
  /** group.max.session.timeout.ms; Kafka's default 1800000. */
  readonly maxSessionTimeoutMs: number;
  /** group.initial.rebalance.delay.ms: how long a new group waits for more members (Kafka: 3000; here 0). */
  readonly initialRebalanceDelayMs: number;
}

export interface JoinGroupInput {
  readonly groupId: string;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  readonly sessionTimeoutMs: number;
  readonly rebalanceTimeoutMs: number;
  readonly protocolType: string;
  readonly protocols: readonly MemberProtocol[];
  /** JoinGroup v4+: a new dynamic member must first ask for a member id (MEMBER_ID_REQUIRED). */
  readonly requireKnownMemberId: boolean;
}

export interface SyncGroupInput {
  readonly groupId: string;
  readonly generationId: number;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly protocolType: string | null;
  readonly protocolName: string | null;
  readonly assignments: ReadonlyArray<{ memberId: string; assignment: Buffer }>;
}

export interface MemberIdentity {
  readonly groupId: string;
  readonly generationId: number;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
}

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

function joinError(memberId: string, errorCode: number): JoinResult {
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

function syncError(errorCode: number): SyncResult {
  return { errorCode, protocolType: null, protocolName: null, assignment: Buffer.alloc(0) };
}

/**
 * The broker side of classic consumer groups, after Kafka's GroupCoordinator: JoinGroup,
 * SyncGroup, Heartbeat and LeaveGroup move each group through Empty, PreparingRebalance,
 * CompletingRebalance and Stable; session, rebalance and initial-delay timeouts run on the
 * clock. Requests that wait (JoinGroup, SyncGroup) get their answer through a callback.
 */
export class GroupCoordinator {
  private readonly groups = new Map<string, Group>();
  private memberSequence = 0;
  /** Group id → producer id → offsets of its open transaction (Kafka's pending transactional offsets). */
  private readonly pendingTransactionalOffsets = new Map<string, Map<bigint, OffsetToCommit[]>>();
  private readonly eventsSubject = new Subject<GroupEvent>();
  /** Rebalances, generations and evictions, as they happen. */
  readonly events$: Observable<GroupEvent> = this.eventsSubject.asObservable();

  constructor(
    private readonly clock: Clock,
    private readonly config: GroupCoordinatorConfig,
  ) {}

  // ---- JoinGroup -------------------------------------------------------------------------

  join(input: JoinGroupInput, respond: (result: JoinResult) => void): void {
    if (input.groupId === '') return respond(joinError(input.memberId, ErrorCode.INVALID_GROUP_ID));
    if (
      input.sessionTimeoutMs < this.config.minSessionTimeoutMs ||
      input.sessionTimeoutMs > this.config.maxSessionTimeoutMs
    ) {
      return respond(joinError(input.memberId, ErrorCode.INVALID_SESSION_TIMEOUT));
    }
    let group = this.groups.get(input.groupId);
    if (group === undefined) {
      if (input.memberId !== '') return respond(joinError(input.memberId, ErrorCode.UNKNOWN_MEMBER_ID));
      group = new Group(input.groupId);
      this.groups.set(input.groupId, group);
    }
    if (group.state === 'Dead')
      return respond(joinError(input.memberId, ErrorCode.COORDINATOR_NOT_AVAILABLE));
    if (
      !supportsProtocols([...group.members.values()], group.protocolType, input.protocolType, input.protocols)
    ) {
      return respond(joinError(input.memberId, ErrorCode.INCONSISTENT_GROUP_PROTOCOL));
    }
    if (input.memberId === '') this.joinUnknownMember(group, input, respond);
    else this.joinKnownMember(group, input, respond);
  }

  private joinUnknownMember(group: Group, input: JoinGroupInput, respond: (r: JoinResult) => void): void {
    const memberId = this.newMemberId(input.clientId);
    if (input.groupInstanceId !== null) {
      const oldMemberId = group.staticMembers.get(input.groupInstanceId);
      if (oldMemberId !== undefined && group.members.has(oldMemberId)) {
        this.replaceStaticMember(group, oldMemberId, memberId, input, respond);
      } else {
        this.addMemberAndRebalance(group, memberId, input, respond);
      }
    } else if (input.requireKnownMemberId) {
      // The member must come back with this id; until then it holds up a rebalance.
      const expiry = timer(input.sessionTimeoutMs, this.clock).subscribe(() =>
        this.removePendingMember(group, memberId),
      );
      group.pendingMembers.set(memberId, expiry);
      respond(joinError(memberId, ErrorCode.MEMBER_ID_REQUIRED));
    } else {
      this.addMemberAndRebalance(group, memberId, input, respond);
    }
  }

  private joinKnownMember(group: Group, input: JoinGroupInput, respond: (r: JoinResult) => void): void {
    const { memberId } = input;
    if (group.pendingMembers.has(memberId)) {
      group.pendingMembers.get(memberId)?.unsubscribe();
      group.pendingMembers.delete(memberId);
      this.addMemberAndRebalance(group, memberId, input, respond);
      return;
    }
    if (group.isStaticMemberFenced(memberId, input.groupInstanceId)) {
      return respond(joinError(memberId, ErrorCode.FENCED_INSTANCE_ID));
    }
    const member = group.members.get(memberId);
    if (member === undefined) return respond(joinError(memberId, ErrorCode.UNKNOWN_MEMBER_ID));
    switch (group.state) {
      case 'PreparingRebalance':
        this.updateMemberAndRebalance(group, member, input, respond);
        break;
      case 'CompletingRebalance':
        // A member that lost its JoinGroup response asks again with the same protocols.
        if (member.matches(input.protocols)) respond(this.joinResultFor(group, member));
        else this.updateMemberAndRebalance(group, member, input, respond);
        break;
      case 'Stable':
        if (memberId === group.leaderId || !member.matches(input.protocols)) {
          this.updateMemberAndRebalance(group, member, input, respond);
        } else {
          respond(this.joinResultFor(group, member));
        }
        break;
      default:
        respond(joinError(memberId, ErrorCode.UNKNOWN_MEMBER_ID));
    }
  }

  private addMemberAndRebalance(
    group: Group,
    memberId: string,
    input: JoinGroupInput,
    respond: (r: JoinResult) => void,
  ): void {
    const member = new MemberMetadata(
      memberId,
      input.groupInstanceId,
      input.clientId,
      input.clientHost,
      input.sessionTimeoutMs,
      input.rebalanceTimeoutMs,
      input.protocolType,
      input.protocols,
    );
    member.awaitingJoin = respond;
    if (group.members.size === 0) group.protocolType = input.protocolType;
    group.members.set(memberId, member);
    if (group.leaderId === null) group.leaderId = memberId;
    if (input.groupInstanceId !== null) group.staticMembers.set(input.groupInstanceId, memberId);
    group.newMemberAdded = true;
    this.emit({ type: 'member-joined', groupId: group.groupId, memberId });
    this.maybePrepareRebalance(group, `member ${memberId} joined`);
  }

  private updateMemberAndRebalance(
    group: Group,
    member: MemberMetadata,
    input: JoinGroupInput,
    respond: (r: JoinResult) => void,
  ): void {
    member.protocols = input.protocols;
    member.sessionTimeoutMs = input.sessionTimeoutMs;
    member.rebalanceTimeoutMs = input.rebalanceTimeoutMs;
    member.awaitingJoin = respond;
    this.maybePrepareRebalance(group, `member ${member.memberId} rejoined`);
  }

  /** A static member restarted: its new member id takes the old one's place and assignment. */
  private replaceStaticMember(
    group: Group,
    oldMemberId: string,
    newMemberId: string,
    input: JoinGroupInput,
    respond: (r: JoinResult) => void,
  ): void {
    const old = group.members.get(oldMemberId) as MemberMetadata;
    old.sessionTimer?.unsubscribe();
    old.awaitingJoin?.(joinError(oldMemberId, ErrorCode.FENCED_INSTANCE_ID));
    old.awaitingSync?.(syncError(ErrorCode.FENCED_INSTANCE_ID));
    const member = new MemberMetadata(
      newMemberId,
      input.groupInstanceId,
      input.clientId,
      input.clientHost,
      input.sessionTimeoutMs,
      input.rebalanceTimeoutMs,
      input.protocolType,
      old.protocols,
    );
    member.assignment = old.assignment;
    // Keep the member's place in join order.
    const entries = [...group.members.entries()].map(([id, m]): [string, MemberMetadata] =>
      id === oldMemberId ? [newMemberId, member] : [id, m],
    );
    group.members.clear();
    for (const [id, m] of entries) group.members.set(id, m);
    group.staticMembers.set(input.groupInstanceId as string, newMemberId);
    const currentLeader = group.leaderId;
    if (group.leaderId === oldMemberId) group.leaderId = newMemberId;
    if (group.pendingSyncMembers.delete(oldMemberId)) group.pendingSyncMembers.add(newMemberId);
    this.emit({ type: 'member-replaced', groupId: group.groupId, memberId: newMemberId, oldMemberId });

    if (group.state === 'Stable' && member.matches(input.protocols)) {
      // No rebalance: the member gets the current generation and, keeping the old leader id,
      // does not run an assignment that a stable group would never hand out.
      this.scheduleSession(group, member);
      respond({ ...this.joinResultFor(group, member), leader: currentLeader ?? '', members: [] });
      return;
    }
    this.updateMemberAndRebalance(group, member, input, respond);
  }

  // ---- rebalance -------------------------------------------------------------------------

  private maybePrepareRebalance(group: Group, reason: string): void {
    if (group.state === 'Stable' || group.state === 'CompletingRebalance' || group.state === 'Empty') {
      this.prepareRebalance(group, reason);
    } else if (group.state === 'PreparingRebalance') {
      this.maybeCompleteJoin(group);
    }
  }

  private prepareRebalance(group: Group, reason: string): void {
    if (group.state === 'CompletingRebalance') {
      // Followers waiting for the leader's assignment must rejoin.
      for (const member of group.members.values()) {
        member.assignment = Buffer.alloc(0);
        const respond = member.awaitingSync;
        member.awaitingSync = undefined;
        respond?.(syncError(ErrorCode.REBALANCE_IN_PROGRESS));
      }
    }
    group.syncTimer?.unsubscribe();
    group.pendingSyncMembers.clear();
    const wasEmpty = group.state === 'Empty';
    group.state = 'PreparingRebalance';
    this.emit({
      type: 'rebalance-started',
      groupId: group.groupId,
      generationId: group.generationId,
      reason,
    });
    group.joinTimer?.unsubscribe();
    const rebalanceTimeoutMs = group.rebalanceTimeoutMs();
    if (wasEmpty && this.config.initialRebalanceDelayMs > 0) {
      const delayMs = Math.min(this.config.initialRebalanceDelayMs, rebalanceTimeoutMs);
      this.scheduleInitialDelay(group, delayMs, Math.max(rebalanceTimeoutMs - delayMs, 0));
    } else {
      group.joinTimer = timer(rebalanceTimeoutMs, this.clock).subscribe(() => this.completeJoin(group));
      this.maybeCompleteJoin(group);
    }
  }

  /** Kafka's InitialDelayedJoin: wait, and wait again while new members keep arriving. */
  private scheduleInitialDelay(group: Group, delayMs: number, remainingMs: number): void {
    group.initialDelayRunning = true;
    group.newMemberAdded = false;
    group.joinTimer = timer(delayMs, this.clock).subscribe(() => {
      if (group.newMemberAdded && remainingMs > 0) {
        const next = Math.min(this.config.initialRebalanceDelayMs, remainingMs);
        this.scheduleInitialDelay(group, next, remainingMs - next);
      } else {
        group.initialDelayRunning = false;
        this.completeJoin(group);
      }
    });
  }

  private maybeCompleteJoin(group: Group): void {
    if (group.state === 'PreparingRebalance' && !group.initialDelayRunning && group.hasAllMembersJoined()) {
      this.completeJoin(group);
    }
  }

  /** The rebalance ends: members that did not rejoin are dropped and the next generation starts. */
  private completeJoin(group: Group): void {
    if (group.state !== 'PreparingRebalance') return;
    group.joinTimer?.unsubscribe();
    group.joinTimer = undefined;
    group.initialDelayRunning = false;
    for (const member of [...group.members.values()]) {
      if (member.awaitingJoin === undefined) this.removeMember(group, member, 'did not rejoin in time');
    }
    group.generationId += 1;
    if (group.members.size === 0) {
      // Kafka's initNextGeneration forgets the protocol name only: an emptied group keeps its type.
      group.protocolName = null;
      group.state = 'Empty';
      this.emit({
        type: 'generation',
        groupId: group.groupId,
        generationId: group.generationId,
        members: [],
      });
      return;
    }
    const members = [...group.members.values()];
    group.protocolName = selectProtocol(members);
    group.state = 'CompletingRebalance';
    if (group.leaderId === null || !group.members.has(group.leaderId)) group.leaderId = members[0].memberId;
    this.emit({
      type: 'generation',
      groupId: group.groupId,
      generationId: group.generationId,
      members: members.map((m) => m.memberId),
    });
    for (const member of members) {
      const respond = member.awaitingJoin as (r: JoinResult) => void;
      member.awaitingJoin = undefined;
      group.pendingSyncMembers.add(member.memberId);
      this.scheduleSession(group, member);
      respond(this.joinResultFor(group, member));
    }
    const generationId = group.generationId;
    group.syncTimer = timer(group.rebalanceTimeoutMs(), this.clock).subscribe(() =>
      this.expirePendingSync(group, generationId),
    );
  }

  /** Members that joined a generation but never sent SyncGroup are removed (Kafka 3's pending sync). */
  private expirePendingSync(group: Group, generationId: number): void {
    if (group.generationId !== generationId || group.pendingSyncMembers.size === 0) return;
    if (group.state !== 'CompletingRebalance' && group.state !== 'Stable') return;
    for (const memberId of [...group.pendingSyncMembers]) {
      const member = group.members.get(memberId);
      if (member !== undefined) this.removeMember(group, member, 'did not send SyncGroup in time');
    }
    group.pendingSyncMembers.clear();
    this.prepareRebalance(group, 'members did not sync in time');
  }

  private joinResultFor(group: Group, member: MemberMetadata): JoinResult {
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

  // ---- SyncGroup -------------------------------------------------------------------------

  sync(input: SyncGroupInput, respond: (result: SyncResult) => void): void {
    const group = this.groups.get(input.groupId);
    if (group === undefined) return respond(syncError(ErrorCode.UNKNOWN_MEMBER_ID));
    if (group.state === 'Dead') return respond(syncError(ErrorCode.COORDINATOR_NOT_AVAILABLE));
    if (group.isStaticMemberFenced(input.memberId, input.groupInstanceId)) {
      return respond(syncError(ErrorCode.FENCED_INSTANCE_ID));
    }
    const member = group.members.get(input.memberId);
    if (member === undefined) return respond(syncError(ErrorCode.UNKNOWN_MEMBER_ID));
    if (input.generationId !== group.generationId) return respond(syncError(ErrorCode.ILLEGAL_GENERATION));
    if (
      (input.protocolType !== null && input.protocolType !== group.protocolType) ||
      (input.protocolName !== null && input.protocolName !== group.protocolName)
    ) {
      return respond(syncError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL));
    }
    switch (group.state) {
      case 'Empty':
        return respond(syncError(ErrorCode.UNKNOWN_MEMBER_ID));
      case 'PreparingRebalance':
        return respond(syncError(ErrorCode.REBALANCE_IN_PROGRESS));
      case 'CompletingRebalance': {
        group.pendingSyncMembers.delete(member.memberId);
        member.awaitingSync = respond;
        if (member.memberId === group.leaderId) {
          const assignments = new Map(input.assignments.map((a) => [a.memberId, a.assignment]));
          for (const m of group.members.values())
            m.assignment = assignments.get(m.memberId) ?? Buffer.alloc(0);
          group.state = 'Stable';
          this.emit({ type: 'stable', groupId: group.groupId, generationId: group.generationId });
          for (const m of group.members.values()) {
            const waiting = m.awaitingSync;
            m.awaitingSync = undefined;
            if (waiting !== undefined) {
              this.scheduleSession(group, m);
              waiting(this.syncResultFor(group, m));
            }
          }
        }
        return;
      }
      case 'Stable':
        group.pendingSyncMembers.delete(member.memberId);
        this.scheduleSession(group, member);
        return respond(this.syncResultFor(group, member));
    }
  }

  private syncResultFor(group: Group, member: MemberMetadata): SyncResult {
    return {
      errorCode: ErrorCode.NONE,
      protocolType: group.protocolType,
      protocolName: group.protocolName,
      assignment: member.assignment,
    };
  }

  // ---- Heartbeat -------------------------------------------------------------------------

  heartbeat(input: MemberIdentity): number {
    const group = this.groups.get(input.groupId);
    if (group === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (group.state === 'Dead') return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    if (group.isStaticMemberFenced(input.memberId, input.groupInstanceId))
      return ErrorCode.FENCED_INSTANCE_ID;
    const member = group.members.get(input.memberId);
    if (member === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (input.generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
    switch (group.state) {
      case 'Empty':
        return ErrorCode.UNKNOWN_MEMBER_ID;
      case 'PreparingRebalance':
        this.scheduleSession(group, member);
        return ErrorCode.REBALANCE_IN_PROGRESS;
      default:
        this.scheduleSession(group, member);
        return ErrorCode.NONE;
    }
  }

  // ---- LeaveGroup ------------------------------------------------------------------------

  /** Removes members; one error code per member, in order. */
  leave(
    groupId: string,
    members: ReadonlyArray<{ memberId: string; groupInstanceId: string | null }>,
  ): number[] {
    const group = this.groups.get(groupId);
    if (group === undefined) return members.map(() => ErrorCode.UNKNOWN_MEMBER_ID);
    return members.map(({ memberId, groupInstanceId }) => {
      if (group.state === 'Dead') return ErrorCode.COORDINATOR_NOT_AVAILABLE;
      // An admin may name a static member by its instance id alone.
      const id =
        memberId === '' && groupInstanceId !== null
          ? (group.staticMembers.get(groupInstanceId) ?? '')
          : memberId;
      if (group.isStaticMemberFenced(id, groupInstanceId)) return ErrorCode.FENCED_INSTANCE_ID;
      if (group.pendingMembers.has(id)) {
        this.removePendingMember(group, id);
        return ErrorCode.NONE;
      }
      const member = group.members.get(id);
      if (member === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
      this.removeMemberAndUpdateGroup(group, member, 'left the group');
      return ErrorCode.NONE;
    });
  }

  // ---- offsets ---------------------------------------------------------------------------

  /**
   * The group-level verdict on an OffsetCommit, as Kafka's doCommitOffsets; on NONE the
   * offsets are stored (and, for a member, its session renewed).
   */
  commitOffsets(input: MemberIdentity, offsets: readonly OffsetToCommit[]): number {
    const verdict = this.validateCommit(input, false);
    if (typeof verdict === 'number') return verdict;
    this.store(verdict, offsets);
    return ErrorCode.NONE;
  }

  /**
   * TxnOffsetCommit: the same checks as OffsetCommit (except that a rebalance in progress does
   * not stop it, as in Kafka); the offsets wait, per producer, for the transaction's marker.
   */
  commitTransactionalOffsets(
    input: MemberIdentity,
    producerId: bigint,
    offsets: readonly OffsetToCommit[],
  ): number {
    const verdict = this.validateCommit(input, true);
    if (typeof verdict === 'number') return verdict;
    let byProducer = this.pendingTransactionalOffsets.get(input.groupId);
    if (byProducer === undefined)
      this.pendingTransactionalOffsets.set(input.groupId, (byProducer = new Map()));
    byProducer.set(producerId, [...(byProducer.get(producerId) ?? []), ...offsets]);
    return ErrorCode.NONE;
  }

  /** The transaction's marker reached the group: its offsets are stored (commit) or dropped (abort). */
  completeTransaction(groupId: string, producerId: bigint, committed: boolean): void {
    const pending = this.pendingTransactionalOffsets.get(groupId)?.get(producerId);
    this.pendingTransactionalOffsets.get(groupId)?.delete(producerId);
    const group = this.groups.get(groupId);
    if (committed && pending !== undefined && group !== undefined) this.store(group, pending);
  }

  private validateCommit(input: MemberIdentity, transactional: boolean): Group | number {
    if (input.groupId === '') return ErrorCode.INVALID_GROUP_ID;
    let group = this.groups.get(input.groupId);
    if (group === undefined) {
      // A group that does not use Kafka's membership (generation -1) may still store offsets.
      if (input.generationId >= 0) return ErrorCode.ILLEGAL_GENERATION;
      group = new Group(input.groupId);
      this.groups.set(input.groupId, group);
    }
    if (group.state === 'Dead') return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    if (group.isStaticMemberFenced(input.memberId, input.groupInstanceId))
      return ErrorCode.FENCED_INSTANCE_ID;
    if (!(input.generationId < 0 && (group.state === 'Empty' || transactional))) {
      if (group.state === 'CompletingRebalance' && !transactional) return ErrorCode.REBALANCE_IN_PROGRESS;
      const member = group.members.get(input.memberId);
      if (member === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
      if (input.generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
      this.scheduleSession(group, member);
    }
    return group;
  }

  private store(group: Group, offsets: readonly OffsetToCommit[]): void {
    const commitTimestamp = now(this.clock);
    for (const o of offsets) {
      let partitions = group.offsets.get(o.topic);
      if (partitions === undefined) group.offsets.set(o.topic, (partitions = new Map()));
      partitions.set(o.partition, {
        offset: o.offset,
        leaderEpoch: o.leaderEpoch,
        metadata: o.metadata,
        commitTimestamp,
      });
    }
    this.emit({ type: 'offsets-committed', groupId: group.groupId, offsets });
  }

  /** The committed offsets of a group: all of them, or those of the given topics' partitions. */
  committedOffsets(groupId: string): ReadonlyMap<string, ReadonlyMap<number, CommittedOffset>> {
    return this.groups.get(groupId)?.offsets ?? new Map();
  }

  /** A deleted topic's offsets leave every group (Kafka's onPartitionsDeleted). */
  forgetTopic(topic: string): void {
    for (const group of this.groups.values()) group.offsets.delete(topic);
  }

  /**
   * DeleteGroups for one group: only an empty group goes, with its offsets (NON_EMPTY_GROUP
   * otherwise; GROUP_ID_NOT_FOUND for a group the coordinator does not know).
   */
  deleteGroup(groupId: string): number {
    if (groupId === '') return ErrorCode.INVALID_GROUP_ID;
    const group = this.groups.get(groupId);
    if (group === undefined || group.state === 'Dead') return ErrorCode.GROUP_ID_NOT_FOUND;
    if (group.state !== 'Empty') return ErrorCode.NON_EMPTY_GROUP;
    group.state = 'Dead';
    group.joinTimer?.unsubscribe();
    this.groups.delete(groupId);
    this.pendingTransactionalOffsets.delete(groupId);
    return ErrorCode.NONE;
  }

  // ---- inspection ------------------------------------------------------------------------

  describe(groupId: string): GroupDescription | undefined {
    const group = this.groups.get(groupId);
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

  list(): GroupDescription[] {
    return [...this.groups.keys()].map((id) => this.describe(id) as GroupDescription);
  }

  /** Cancels every timer (the cluster is closing). */
  close(): void {
    for (const group of this.groups.values()) {
      group.joinTimer?.unsubscribe();
      group.syncTimer?.unsubscribe();
      for (const expiry of group.pendingMembers.values()) expiry.unsubscribe();
      for (const member of group.members.values()) member.sessionTimer?.unsubscribe();
    }
    this.eventsSubject.complete();
  }

  // ---- members ---------------------------------------------------------------------------

  /** (Re)starts a member's session timeout: without a heartbeat before it ends, the member is removed. */
  private scheduleSession(group: Group, member: MemberMetadata): void {
    member.sessionTimer?.unsubscribe();
    member.sessionTimer = timer(member.sessionTimeoutMs, this.clock).subscribe(() => {
      if (group.members.get(member.memberId) !== member) return;
      // A member waiting in JoinGroup or SyncGroup is alive; the rebalance timeout watches it.
      if (member.awaitingJoin !== undefined || member.awaitingSync !== undefined) {
        this.scheduleSession(group, member);
        return;
      }
      this.emit({ type: 'member-expired', groupId: group.groupId, memberId: member.memberId });
      this.removeMemberAndUpdateGroup(group, member, 'session timeout');
    });
  }

  private removeMemberAndUpdateGroup(group: Group, member: MemberMetadata, reason: string): void {
    const waitingJoin = member.awaitingJoin;
    const waitingSync = member.awaitingSync;
    this.removeMember(group, member, reason);
    waitingJoin?.(joinError(member.memberId, ErrorCode.UNKNOWN_MEMBER_ID));
    waitingSync?.(syncError(ErrorCode.UNKNOWN_MEMBER_ID));
    if (group.state === 'Stable' || group.state === 'CompletingRebalance') {
      this.prepareRebalance(group, `member ${member.memberId} ${reason}`);
    } else if (group.state === 'PreparingRebalance') {
      this.maybeCompleteJoin(group);
    }
  }

  private removeMember(group: Group, member: MemberMetadata, reason: string): void {
    member.sessionTimer?.unsubscribe();
    member.awaitingJoin = undefined;
    member.awaitingSync = undefined;
    group.members.delete(member.memberId);
    group.pendingSyncMembers.delete(member.memberId);
    if (
      member.groupInstanceId !== null &&
      group.staticMembers.get(member.groupInstanceId) === member.memberId
    ) {
      group.staticMembers.delete(member.groupInstanceId);
    }
    if (group.leaderId === member.memberId) {
      const next = group.members.keys().next();
      group.leaderId = next.done ? null : next.value;
    }
    this.emit({ type: 'member-removed', groupId: group.groupId, memberId: member.memberId, reason });
  }

  private removePendingMember(group: Group, memberId: string): void {
    group.pendingMembers.get(memberId)?.unsubscribe();
    group.pendingMembers.delete(memberId);
    this.maybeCompleteJoin(group);
  }

  /** Kafka's form `clientId-uuid`; the uuid comes from a counter, so runs are reproducible. */
  private newMemberId(clientId: string): string {
    const hex = createHash('sha256').update(`member:${++this.memberSequence}`).digest('hex');
    return `${clientId}-${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
  }

  private emit(event: GroupEvent): void {
    this.eventsSubject.next(event);
  }
}
