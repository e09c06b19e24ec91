import { of } from 'rxjs';
import { ErrorCode } from '../../protocol/errors';
import { ConsumerGroupDescribe } from '../../protocol/specs';
import type { ResponseBodyOf } from '../../protocol/spec-types';
import type { ClusterState } from '../broker-state/cluster-state';
import { partitionsOf, type Assignment } from '../consumer-group-coordinator/assignment';
import { coordinatorError } from './coordinator-check';
import type { ApiHandler, BrokerRequest } from './handler';

type Described = ResponseBodyOf<typeof ConsumerGroupDescribe>['groups'][number];

const AUTHORIZED_OPERATIONS_OMITTED = -2147483648;

function failed(groupId: string, errorCode: number, errorMessage: string | null = null): Described {
  return {
    errorCode,
    errorMessage,
    groupId,
    groupState: '',
    groupEpoch: -1,
    assignmentEpoch: -1,
    assignorName: '',
    members: [],
    authorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
  };
}

function topicPartitions(cluster: ClusterState, assignment: Assignment) {
  const byTopic = new Map<string, number[]>();
  for (const [topic, partition] of partitionsOf(assignment))
    byTopic.set(topic, [...(byTopic.get(topic) ?? []), partition]);
  return [...byTopic].map(([topicName, partitions]) => ({
    topicId: cluster.topics.get(topicName)?.topicId ?? '00000000-0000-0000-0000-000000000000',
    topicName,
    partitions,
  }));
}

function describeOne(
  request: BrokerRequest<typeof ConsumerGroupDescribe>,
  cluster: ClusterState,
  groupId: string,
): Described {
  const notCoordinator = coordinatorError(request, cluster, groupId);
  if (notCoordinator !== ErrorCode.NONE) return failed(groupId, notCoordinator);
  const group = cluster.consumerGroups.describe(groupId);
  if (group === undefined)
    return failed(groupId, ErrorCode.GROUP_ID_NOT_FOUND, `Group ${groupId} not found.`);
  return {
    errorCode: ErrorCode.NONE,
    errorMessage: null,
    groupId,
    groupState: group.state,
    groupEpoch: group.groupEpoch,
    assignmentEpoch: group.assignmentEpoch,
    assignorName: group.assignorName,
    members: group.members.map((m) => ({
      memberId: m.memberId,
      instanceId: m.instanceId,
      rackId: m.rackId,
      memberEpoch: m.memberEpoch,
      clientId: m.clientId,
      clientHost: m.clientHost,
      subscribedTopicNames: [...m.subscribedTopicNames],
      subscribedTopicRegex: m.subscribedTopicRegex,
      assignment: { topicPartitions: topicPartitions(cluster, m.assignment) },
      targetAssignment: { topicPartitions: topicPartitions(cluster, m.targetAssignment) },
    })),
    authorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
  };
}

/** ConsumerGroupDescribe (key 69): KIP-848 groups with their epochs, members and assignments. */
export const consumerGroupDescribeHandler: ApiHandler<typeof ConsumerGroupDescribe> = {
  api: ConsumerGroupDescribe,
  handle(request, cluster) {
    return of({
      throttleTimeMs: 0,
      groups: request.body.groupIds.map((groupId) => describeOne(request, cluster, groupId)),
    });
  },
  errorResponse: (request, errorCode) => ({
    throttleTimeMs: 0,
    groups: request.body.groupIds.map((groupId) => failed(groupId, errorCode)),
  }),
};
