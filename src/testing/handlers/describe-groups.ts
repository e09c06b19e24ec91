import { of } from 'rxjs';
import { ErrorCode } from '../../protocol/errors';
import { DescribeGroups } from '../../protocol/specs';
import type { ResponseBodyOf } from '../../protocol/spec-types';
import type { ClusterState } from '../broker-state/cluster-state';
import { coordinatorError } from './coordinator-check';
import type { ApiHandler, BrokerRequest } from './handler';

type DescribedGroup = ResponseBodyOf<typeof DescribeGroups>['groups'][number];

const AUTHORIZED_OPERATIONS_OMITTED = -2147483648;

function described(groupId: string, errorCode: number, state: string): DescribedGroup {
  return {
    errorCode,
    groupId,
    groupState: state,
    protocolType: '',
    protocolData: '',
    members: [],
    authorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
  };
}

function describeOne(
  request: BrokerRequest<typeof DescribeGroups>,
  cluster: ClusterState,
  groupId: string,
): DescribedGroup {
  const notCoordinator = coordinatorError(request, cluster, groupId);
  if (notCoordinator !== ErrorCode.NONE) return described(groupId, notCoordinator, '');
  const group = cluster.coordinator.describe(groupId);
  // Up to v5 an unknown group is no error: it is described as Dead, with no members.
  if (group === undefined) return described(groupId, ErrorCode.NONE, 'Dead');
  // Members' subscriptions and assignments are shown only once the group is Stable, as in Kafka.
  const stable = group.state === 'Stable';
  return {
    ...described(groupId, ErrorCode.NONE, group.state),
    protocolType: group.protocolType ?? '',
    protocolData: stable ? (group.protocolName ?? '') : '',
    members: group.members.map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      clientId: m.clientId,
      clientHost: m.clientHost,
      memberMetadata: stable ? m.metadata : Buffer.alloc(0),
      memberAssignment: stable ? m.assignment : Buffer.alloc(0),
    })),
  };
}

/** DescribeGroups (key 15), to the groups' coordinator: state, protocol and members with their assignments. */
export const describeGroupsHandler: ApiHandler<typeof DescribeGroups> = {
  api: DescribeGroups,
  handle: (request, cluster) =>
    of({
      throttleTimeMs: 0,
      groups: request.body.groups.map((id) => describeOne(request, cluster, id)),
    }),
  errorResponse: (request, errorCode) => ({
    throttleTimeMs: 0,
    groups: request.body.groups.map((id) => described(id, errorCode, '')),
  }),
};
