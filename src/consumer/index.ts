export { createConsumer } from './create-consumer';
export { processRecords, type ProcessRecordsOptions } from './process-records';
export type { AckMode, ConsumerConfig, FetchConfig, GroupProtocol } from './config';
export type {
  CommitResult,
  CommitTrigger,
  Consumer,
  ConsumerEvent,
  ConsumerGroupMetadata,
  ConsumerRecord,
  AnyConsumerRecord,
  DeliveredRecord,
  UndeserializedRecord,
  PartitionStream,
  RebalanceEvent,
  RecordsLag,
  TopicPartition,
  TopicPartitionOffset,
} from './types';
export type { MembershipPhase } from './membership/membership-phase';
export type { Assignor, MemberSubscription, RebalanceProtocol, TopicPartitions } from './assignors/assignor';
export {
  AlreadySubscribedError,
  ConsumerClosedError,
  ConsumerError,
  FencedInstanceIdError,
  GroupMembershipError,
  InvalidArgumentError,
  NotAssignedError,
} from './errors';
export {
  createShareConsumer,
  UnacknowledgedRecordsError,
  type AcknowledgementResult,
  type AcknowledgeType,
  type RecordAcknowledgement,
  type ShareConsumer,
  type ShareConsumerConfig,
  type ShareConsumerEvent,
  type ShareRecord,
  type ShareSettling,
  type UndeserializedShareRecord,
  type DeliveredShareRecord,
} from './share';
