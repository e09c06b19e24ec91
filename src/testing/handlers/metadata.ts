import { of } from 'rxjs';
import { ErrorCode } from '../../protocol/errors';
import { Metadata } from '../../protocol/specs';
import type { ResponseBodyOf } from '../../protocol/spec-types';
import type { ClusterState } from '../broker-state/cluster-state';
import { isValidTopicName, type TopicState } from '../broker-state/topic';
import type { ApiHandler, BrokerRequest } from './handler';

const ZERO_UUID = '00000000-0000-0000-0000-000000000000';

type TopicResponse = ResponseBodyOf<typeof Metadata>['topics'][number];
const AUTHORIZED_OPERATIONS_OMITTED = -2147483648;

function topicMetadata(cluster: ClusterState, topic: TopicState): TopicResponse {
  return {
    errorCode: ErrorCode.NONE,
    name: topic.name,
    topicId: topic.topicId,
    isInternal: false,
    partitions: topic.partitions.map((p) => {
      const live = p.replicas.filter((id) => !cluster.brokers[id].fenced);
      return {
        errorCode: p.leader === -1 ? ErrorCode.LEADER_NOT_AVAILABLE : ErrorCode.NONE,
        partitionIndex: p.index,
        leaderId: p.leader,
        leaderEpoch: p.leaderEpoch,
        replicaNodes: p.replicas,
        isrNodes: live,
        offlineReplicas: p.replicas.filter((id) => cluster.brokers[id].fenced),
      };
    }),
    topicAuthorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
  };
}

function missingTopic(errorCode: number, name: string | null, topicId = ZERO_UUID): TopicResponse {
  return {
    errorCode,
    name,
    topicId,
    isInternal: false,
    partitions: [],
    topicAuthorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
  };
}

function response(
  request: BrokerRequest<typeof Metadata>,
  cluster: ClusterState,
  topics: TopicResponse[],
): ResponseBodyOf<typeof Metadata> {
  const live = cluster.brokers.filter((b) => !b.fenced);
  return {
    throttleTimeMs: 0,
    brokers: live.map((b) => ({
      nodeId: b.nodeId,
      ...cluster.address(b.nodeId, request.listener),
      rack: null,
    })),
    clusterId: cluster.config.clusterId,
    controllerId: live.length > 0 ? live[0].nodeId : -1,
    topics,
    clusterAuthorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
  };
}

/**
 * Metadata (key 3): live brokers at the addresses of the listener the request came through,
 * and topics with leaders, replicas and leader epochs. An unknown topic is created when both
 * the cluster and the request allow it (Kafka's auto.create.topics.enable).
 */
export const metadataHandler: ApiHandler<typeof Metadata> = {
  api: Metadata,
  handle(request, cluster) {
    const { body, version } = request;
    const requested: ReadonlyArray<{ name: string | null; topicId?: string }> | null | undefined =
      body.topics;
    if (requested === null || requested === undefined) {
      return of(
        response(
          request,
          cluster,
          [...cluster.topics.values()].map((t) => topicMetadata(cluster, t)),
        ),
      );
    }
    const allowCreate =
      cluster.config.autoCreateTopics && (version < 4 || body.allowAutoTopicCreation !== false);
    const topics = requested.map(({ name, topicId }) => {
      if (name === null || name === undefined) {
        const byId = topicId === undefined || topicId === ZERO_UUID ? undefined : cluster.topicById(topicId);
        return byId === undefined
          ? missingTopic(ErrorCode.UNKNOWN_TOPIC_ID, null, topicId ?? ZERO_UUID)
          : topicMetadata(cluster, byId);
      }
      const topic = cluster.topics.get(name);
      if (topic !== undefined) return topicMetadata(cluster, topic);
      if (!isValidTopicName(name)) return missingTopic(ErrorCode.INVALID_TOPIC_EXCEPTION, name);
      if (!allowCreate) return missingTopic(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, name);
      return topicMetadata(cluster, cluster.createTopic(name, cluster.config.defaultPartitions));
    });
    return of(response(request, cluster, topics));
  },
  errorResponse(request, errorCode) {
    const requested: ReadonlyArray<{ name: string | null }> = request.body.topics ?? [];
    return {
      throttleTimeMs: 0,
      brokers: [],
      clusterId: null,
      controllerId: -1,
      topics: requested.map(({ name }) => missingTopic(errorCode, name ?? null)),
      clusterAuthorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
    };
  },
};
