import { ErrorCode } from '../../protocol/errors';
import type { ClusterState } from '../broker-state/cluster-state';
import type { BrokerRequest } from './handler';

/** NOT_COORDINATOR (or COORDINATOR_NOT_AVAILABLE) when this broker does not coordinate the group, else NONE. */
export function coordinatorError(
  request: Pick<BrokerRequest, 'nodeId'>,
  cluster: ClusterState,
  groupId: string,
): number {
  const coordinator = cluster.coordinatorFor(groupId);
  if (coordinator < 0) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
  return coordinator === request.nodeId ? ErrorCode.NONE : ErrorCode.NOT_COORDINATOR;
}
