/**
 * kafka-rx/testing: an in-process fake Kafka cluster (through the memory transport in virtual
 * time, or on real TCP ports) with fault injection, and helpers for marble tests.
 */
export {
  createFakeCluster,
  type FakeCluster,
  type FakeClusterOptions,
  type FakeCommittedOffset,
  type FakeGroups,
  type FakeRecordInput,
} from './fake-cluster';
export { FakeClusterError } from './fake-cluster-error';
export { FakeBrokerRequestError } from './request-dispatch';
export { Faults, type ApiRef, type HeartbeatFilter } from './faults';
export type { GroupDescription } from './group-coordinator/group-coordinator';
export type { ConsumerGroupDescription } from './consumer-group-coordinator/consumer-group-coordinator';
export type { Assignment } from './consumer-group-coordinator/assignment';
export type { ShareGroupDescription } from './share-group-coordinator/share-group-coordinator';
export type { SharePartitionDescription } from './share-group-coordinator/share-partition';
export type { RecordState } from './share-group-coordinator/record-state';
export type { GroupEvent } from './group-coordinator/group-event';
export type { GroupState } from './group-coordinator/group';
export {
  commitsAsText,
  offsetsText,
  partitionsText,
  produceAt,
  rebalancesAsText,
  runConsumerGroup,
  taggedAsText,
  type Appended,
  type ConsumerGroupOptions,
  type ConsumerGroupRun,
  type GroupMemberRun,
  type MarbleRecord,
  type Tagged,
} from './marbles';
