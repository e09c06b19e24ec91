import type { AclBinding, AclFilter } from './acl-binding';
import type { CreateAclResult, DeleteAclsResult } from './acls';
import type { CallOptions } from './admin-context';
import type { AlteredOffset, OffsetToCommit } from './alter-offsets';
import type { AlterScramResult, ScramDeletion, ScramUpsertion } from './alter-user-scram-credentials';
import type { CreatePartitionsResult, NewPartitions } from './create-partitions';
import type { CreateTopicResult, CreateTopicsOptions, NewTopic } from './create-topics';
import type { DeleteGroupResult } from './delete-groups';
import type { DeletedRecords, RecordsToDelete } from './delete-records';
import type { DeleteTopicResult } from './delete-topics';
import type { ClusterDescription } from './describe-cluster';
import type { DescribeConfigsOptions, DescribeConfigsRequest, ResourceConfigs } from './describe-configs';
import type { GroupDescription } from './describe-groups';
import type { TopicDescription } from './describe-topics';
import type { UserScramCredentials } from './describe-user-scram-credentials';
import type { CommittedOffset, FetchOffsetsOptions } from './fetch-offsets';
import type { AlterConfigsRequest, AlterConfigsResult } from './incremental-alter-configs';
import type { GroupLag } from './lag';
import type { GroupListing, ListGroupsOptions } from './list-groups';
import type { ListedOffset, ListOffsetsOptions, OffsetSpec, PartitionsOrTopics } from './list-offsets';
import type { ListTopicsOptions } from './list-topics';
import type { ResetOffsetsOptions, ResetTarget } from './reset-offsets';

/**
 * Kafka's administrative operations. Every method returns a Promise bounded by its deadline
 * (`timeoutMs`, default the client's `apiTimeoutMs`). Methods over several items (topics,
 * partitions, groups, config resources) resolve with one result per item, in the order asked, each
 * with an `error` when that item failed: one bad item never fails the others. The Promise rejects
 * only when the call as a whole fails (no broker answers, the deadline passes, a bad argument).
 */
export interface Admin {
  /** Creates topics; `validateOnly` checks without creating. */
  createTopics(
    topics: readonly NewTopic[],
    options?: CreateTopicsOptions & CallOptions,
  ): Promise<CreateTopicResult[]>;
  deleteTopics(names: readonly string[], options?: CallOptions): Promise<DeleteTopicResult[]>;
  /** Raises topics' partition counts. */
  createPartitions(
    topics: readonly NewPartitions[],
    options?: { readonly validateOnly?: boolean } & CallOptions,
  ): Promise<CreatePartitionsResult[]>;
  /** Topic names, sorted; Kafka's internal topics only with `internal: true`. */
  listTopics(options?: ListTopicsOptions & CallOptions): Promise<string[]>;
  /** Partitions with leader, replicas and ISR, and the topic id. */
  describeTopics(names: readonly string[], options?: CallOptions): Promise<TopicDescription[]>;
  /** Brokers, controller and cluster id. */
  describeCluster(options?: CallOptions): Promise<ClusterDescription>;
  /**
   * One offset per partition (a topic name stands for all its partitions): `'earliest'`, `'latest'`
   * (default), `'max-timestamp'` or `{ timestamp }`.
   */
  listOffsets(
    partitions: PartitionsOrTopics,
    spec?: OffsetSpec,
    options?: ListOffsetsOptions & CallOptions,
  ): Promise<ListedOffset[]>;
  /** A group's committed offsets, sorted by topic and partition. */
  fetchOffsets(groupId: string, options?: FetchOffsetsOptions & CallOptions): Promise<CommittedOffset[]>;
  /** Commits offsets for a group that has no members. */
  alterOffsets(
    groupId: string,
    offsets: readonly OffsetToCommit[],
    options?: CallOptions,
  ): Promise<AlteredOffset[]>;
  /**
   * Moves an empty group's offsets on partitions (or whole topics) to the earliest, the latest, a time,
   * an offset or by a shift. A group with members rejects with NON_EMPTY_GROUP.
   */
  resetOffsets(
    groupId: string,
    partitions: PartitionsOrTopics,
    target: ResetTarget,
    options?: ResetOffsetsOptions & CallOptions,
  ): Promise<AlteredOffset[]>;
  /** Committed offset, end offset and lag for every partition the group has committed, and the total. */
  lag(
    groupId: string,
    options?: { readonly isolationLevel?: 'read_uncommitted' | 'read_committed' } & CallOptions,
  ): Promise<GroupLag>;
  /** Deletes the records before an offset (-1: all) of partitions. */
  deleteRecords(records: readonly RecordsToDelete[], options?: CallOptions): Promise<DeletedRecords[]>;
  /** Groups of every broker, sorted, filtered by state and type where the broker supports it. */
  listGroups(options?: ListGroupsOptions & CallOptions): Promise<GroupListing[]>;
  /** State, protocol and members (with decoded assignments) of groups. */
  describeGroups(groupIds: readonly string[], options?: CallOptions): Promise<GroupDescription[]>;
  /** Deletes empty groups with their offsets. */
  deleteGroups(groupIds: readonly string[], options?: CallOptions): Promise<DeleteGroupResult[]>;
  /** Configs of topics, brokers, broker loggers and groups, with sources (and synonyms, documentation on request). */
  describeConfigs(
    resources: readonly DescribeConfigsRequest[],
    options?: DescribeConfigsOptions & CallOptions,
  ): Promise<ResourceConfigs[]>;
  /** Sets, deletes, appends to or subtracts from single configs, leaving the others. */
  incrementalAlterConfigs(
    resources: readonly AlterConfigsRequest[],
    options?: { readonly validateOnly?: boolean } & CallOptions,
  ): Promise<AlterConfigsResult[]>;
  /** Users' SCRAM mechanisms and iteration counts (all users with credentials by default). */
  describeUserScramCredentials(
    users?: readonly string[],
    options?: CallOptions,
  ): Promise<UserScramCredentials[]>;
  /** Sets (`{ user, mechanism, password }`) or deletes (`{ user, mechanism, delete: true }`) SCRAM credentials. */
  alterUserScramCredentials(
    changes: ReadonlyArray<ScramUpsertion | ScramDeletion>,
    options?: CallOptions,
  ): Promise<AlterScramResult[]>;
  /** Creates ACL bindings (an authorizer must be configured on the brokers). */
  createAcls(bindings: readonly AclBinding[], options?: CallOptions): Promise<CreateAclResult[]>;
  /** The ACL bindings matching a filter (all by default). */
  describeAcls(filter?: AclFilter, options?: CallOptions): Promise<AclBinding[]>;
  /** Deletes the ACL bindings matching each filter; each result names what its filter deleted. */
  deleteAcls(filters: readonly AclFilter[], options?: CallOptions): Promise<DeleteAclsResult[]>;
  /** Closes the connections (unless the cluster view was given in the config). */
  close(): Promise<void>;
}
