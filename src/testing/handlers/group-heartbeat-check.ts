import { NEVER, of, type Observable } from 'rxjs';
import { ErrorCode } from '../../protocol/errors';
import type { ClusterState } from '../broker-state/cluster-state';
import { heartbeatFailure } from '../consumer-group-coordinator/consumer-group-coordinator';
import { coordinatorError } from './coordinator-check';
import type { BrokerRequest } from './handler';

/** A ConsumerGroupHeartbeat or ShareGroupHeartbeat answer that is an error alone (their bodies are alike). */
export function heartbeatErrorResponse(errorCode: number, errorMessage: string | null = null) {
  return { throttleTimeMs: 0, ...heartbeatFailure(errorCode, errorMessage), assignment: null };
}

const DISABLED: Readonly<Record<'consumer' | 'share', string>> = {
  consumer: 'The consumer group protocol is disabled.',
  share: 'Share groups are disabled.',
};

/**
 * What a KIP-848 (`consumer`) or KIP-932 (`share`) heartbeat meets before its coordinator, alike:
 * UNSUPPORTED_VERSION while the protocol is disabled, NOT_COORDINATOR on another broker, no answer
 * at all for a heartbeat the test chose to drop (`dropHeartbeats`), and GROUP_ID_NOT_FOUND for a
 * group id in use by a classic group with members or by a group of the other kind (as Kafka
 * answers without a migration). The answer to give instead, or null to go on.
 */
export function groupHeartbeatRefusal(
  request: Pick<BrokerRequest, 'nodeId'>,
  cluster: ClusterState,
  kind: 'consumer' | 'share',
  groupId: string,
  memberId: string,
): Observable<ReturnType<typeof heartbeatErrorResponse>> | null {
  if (!cluster.config.groupProtocols.includes(kind))
    return of(heartbeatErrorResponse(ErrorCode.UNSUPPORTED_VERSION, DISABLED[kind]));
  const notCoordinator = coordinatorError(request, cluster, groupId);
  if (notCoordinator !== ErrorCode.NONE) return of(heartbeatErrorResponse(notCoordinator));
  if (cluster.faults.dropsHeartbeat(memberId, groupId)) return NEVER;
  const classicWithMembers = (cluster.coordinator.describe(groupId)?.members.length ?? 0) > 0;
  const otherKind =
    kind === 'consumer' ? cluster.shareGroups.has(groupId) : cluster.consumerGroups.has(groupId);
  if (classicWithMembers || otherKind)
    return of(
      heartbeatErrorResponse(ErrorCode.GROUP_ID_NOT_FOUND, `Group ${groupId} is not a ${kind} group.`),
    );
  return null;
}
