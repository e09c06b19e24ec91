import {
  AddOffsetsToTxn,
  AddPartitionsToTxn,
  ApiVersions,
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
  SyncGroup,
  TxnOffsetCommit,
} from '../../protocol/specs';
import type { ApiSpec } from '../../protocol/spec';

/** The APIs a fake broker answers (and lists in ApiVersions), with the versions of kafka-rx's specs. */
export const supportedApis: readonly ApiSpec[] = [
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
  ApiVersions,
  InitProducerId,
  AddPartitionsToTxn,
  AddOffsetsToTxn,
  // v5 is transaction protocol v2 (an epoch bump per transaction), which is not modelled; Kafka 4 offers it only with unstable versions.
  { ...EndTxn, maxVersion: 4 },
  TxnOffsetCommit,
];
