import type { ApiSpec } from '../spec';
import { AddOffsetsToTxn } from './add-offsets-to-txn';
import { AddPartitionsToTxn } from './add-partitions-to-txn';
import { AlterUserScramCredentials } from './alter-user-scram-credentials';
import { ApiVersions } from './api-versions';
import { ConsumerGroupDescribe } from './consumer-group-describe';
import { ConsumerGroupHeartbeat } from './consumer-group-heartbeat';
import { CreateAcls } from './create-acls';
import { CreatePartitions } from './create-partitions';
import { CreateTopics } from './create-topics';
import { DeleteAcls } from './delete-acls';
import { DeleteGroups } from './delete-groups';
import { DeleteRecords } from './delete-records';
import { DeleteTopics } from './delete-topics';
import { DescribeAcls } from './describe-acls';
import { DescribeCluster } from './describe-cluster';
import { DescribeConfigs } from './describe-configs';
import { DescribeGroups } from './describe-groups';
import { DescribeUserScramCredentials } from './describe-user-scram-credentials';
import { EndTxn } from './end-txn';
import { Fetch } from './fetch';
import { FindCoordinator } from './find-coordinator';
import { Heartbeat } from './heartbeat';
import { IncrementalAlterConfigs } from './incremental-alter-configs';
import { InitProducerId } from './init-producer-id';
import { JoinGroup } from './join-group';
import { LeaveGroup } from './leave-group';
import { ListGroups } from './list-groups';
import { ListOffsets } from './list-offsets';
import { Metadata } from './metadata';
import { OffsetCommit } from './offset-commit';
import { OffsetFetch } from './offset-fetch';
import { Produce } from './produce';
import { SaslAuthenticate } from './sasl-authenticate';
import { SaslHandshake } from './sasl-handshake';
import { ShareAcknowledge } from './share-acknowledge';
import { ShareFetch } from './share-fetch';
import { ShareGroupHeartbeat } from './share-group-heartbeat';
import { SyncGroup } from './sync-group';
import { TxnOffsetCommit } from './txn-offset-commit';

export {
  AddOffsetsToTxn,
  AddPartitionsToTxn,
  AlterUserScramCredentials,
  ApiVersions,
  ConsumerGroupDescribe,
  ConsumerGroupHeartbeat,
  CreateAcls,
  CreatePartitions,
  CreateTopics,
  DeleteAcls,
  DeleteGroups,
  DeleteRecords,
  DeleteTopics,
  DescribeAcls,
  DescribeCluster,
  DescribeConfigs,
  DescribeGroups,
  DescribeUserScramCredentials,
  EndTxn,
  Fetch,
  FindCoordinator,
  Heartbeat,
  IncrementalAlterConfigs,
  InitProducerId,
  JoinGroup,
  LeaveGroup,
  ListGroups,
  ListOffsets,
  Metadata,
  OffsetCommit,
  OffsetFetch,
  Produce,
  SaslAuthenticate,
  SaslHandshake,
  ShareAcknowledge,
  ShareFetch,
  ShareGroupHeartbeat,
  SyncGroup,
  TxnOffsetCommit,
};
export { ConsumerProtocolAssignment } from './consumer-protocol-assignment';
export { ConsumerProtocolSubscription } from './consumer-protocol-subscription';

/** Every API kafka-rx speaks, in api key order. */
export const apiSpecs: readonly ApiSpec[] = [
  Produce,
  Fetch,
  ListOffsets,
  Metadata,
  OffsetCommit,
  OffsetFetch,
  FindCoordinator,
  JoinGroup,
  Heartbeat,
  LeaveGroup,
  SyncGroup,
  DescribeGroups,
  ListGroups,
  SaslHandshake,
  ApiVersions,
  CreateTopics,
  DeleteTopics,
  DeleteRecords,
  InitProducerId,
  AddPartitionsToTxn,
  AddOffsetsToTxn,
  EndTxn,
  TxnOffsetCommit,
  DescribeAcls,
  CreateAcls,
  DeleteAcls,
  DescribeConfigs,
  SaslAuthenticate,
  CreatePartitions,
  DeleteGroups,
  IncrementalAlterConfigs,
  DescribeUserScramCredentials,
  AlterUserScramCredentials,
  DescribeCluster,
  ConsumerGroupHeartbeat,
  ConsumerGroupDescribe,
  ShareGroupHeartbeat,
  ShareFetch,
  ShareAcknowledge,
];

const byKey = new Map<number, ApiSpec>(apiSpecs.map((spec) => [spec.apiKey, spec]));

/** The spec of an API by its key, or `undefined` when kafka-rx does not speak it. */
export function apiSpecByKey(apiKey: number): ApiSpec | undefined {
  return byKey.get(apiKey);
}
