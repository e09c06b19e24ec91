export type { Admin } from './admin';
export type { AdminConfig } from './admin-config';
export type { CallOptions } from './admin-context';
export { createAdmin } from './create-admin';
export { TimeoutError } from './errors';
export type { CreatePartitionsResult, NewPartitions } from './create-partitions';
export type { CreateTopicResult, CreateTopicsOptions, NewTopic } from './create-topics';
export type { DeleteTopicResult } from './delete-topics';
export type { BrokerDescription, ClusterDescription } from './describe-cluster';
export type { PartitionDescription, TopicDescription } from './describe-topics';
export type { ListTopicsOptions } from './list-topics';
export type { AlteredOffset, OffsetToCommit } from './alter-offsets';
export type { DeleteGroupResult } from './delete-groups';
export type { DeletedRecords, RecordsToDelete } from './delete-records';
export type { GroupDescription, GroupMember } from './describe-groups';
export type { CommittedOffset, FetchOffsetsOptions } from './fetch-offsets';
export type { GroupLag, PartitionLag } from './lag';
export type { GroupListing, GroupType, ListGroupsOptions } from './list-groups';
export type { ListedOffset, ListOffsetsOptions, OffsetSpec, PartitionsOrTopics } from './list-offsets';
export type { ResetOffsetsOptions, ResetTarget } from './reset-offsets';
export type { PartitionOf } from './topic-partition';
export type { ConfigResource, ConfigResourceType } from './config-resource';
export type {
  ConfigEntry,
  ConfigSource,
  ConfigSynonym,
  DescribeConfigsOptions,
  DescribeConfigsRequest,
  ResourceConfigs,
} from './describe-configs';
export type {
  AlterConfigOp,
  AlterConfigsRequest,
  AlterConfigsResult,
  ConfigChange,
} from './incremental-alter-configs';
export type { AlterScramResult, ScramDeletion, ScramUpsertion } from './alter-user-scram-credentials';
export type { UserScramCredentials } from './describe-user-scram-credentials';
export type { ScramMechanism } from './scram-mechanism';
export type {
  AclBinding,
  AclFilter,
  AclOperation,
  AclPatternType,
  AclPermission,
  AclResourceType,
} from './acl-binding';
export type { CreateAclResult, DeleteAclsResult } from './acls';
