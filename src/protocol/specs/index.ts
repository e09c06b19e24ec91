import type { ApiSpec } from '../spec';
import { AddOffsetsToTxn } from './add-offsets-to-txn';
import { AddPartitionsToTxn } from './add-partitions-to-txn';
import { ApiVersions } from './api-versions';
import { ConsumerGroupHeartbeat } from './consumer-group-heartbeat';
import { EndTxn } from './end-txn';
import { Fetch } from './fetch';
import { FindCoordinator } from './find-coordinator';
import { Heartbeat } from './heartbeat';
import { InitProducerId } from './init-producer-id';
import { JoinGroup } from './join-group';
import { LeaveGroup } from './leave-group';
import { ListOffsets } from './list-offsets';
import { Metadata } from './metadata';
import { OffsetCommit } from './offset-commit';
import { OffsetFetch } from './offset-fetch';
import { Produce } from './produce';
import { SaslAuthenticate } from './sasl-authenticate';
import { SaslHandshake } from './sasl-handshake';
import { SyncGroup } from './sync-group';
import { TxnOffsetCommit } from './txn-offset-commit';

export {
  AddOffsetsToTxn,
  AddPartitionsToTxn,
  ApiVersions,
  ConsumerGroupHeartbeat,
  EndTxn,
  Fetch,
  FindCoordinator,
  Heartbeat,
  InitProducerId,
  JoinGroup,
  LeaveGroup,
  ListOffsets,
  Metadata,
  OffsetCommit,
  OffsetFetch,
  Produce,
  SaslAuthenticate,
  SaslHandshake,
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
  SaslHandshake,
  ApiVersions,
  InitProducerId,
  AddPartitionsToTxn,
  AddOffsetsToTxn,
  EndTxn,
  TxnOffsetCommit,
  SaslAuthenticate,
  ConsumerGroupHeartbeat,
];

const byKey = new Map<number, ApiSpec>(apiSpecs.map((spec) => [spec.apiKey, spec]));

/** The spec of an API by its key, or `undefined` when kafka-rx does not speak it. */
export function apiSpecByKey(apiKey: number): ApiSpec | undefined {
  return byKey.get(apiKey);
}
