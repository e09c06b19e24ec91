import {
  ApiVersions,
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
];
