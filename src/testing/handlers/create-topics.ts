import { of } from 'rxjs';
import { ErrorCode } from '../../protocol/errors';
import { CreateTopics } from '../../protocol/specs';
import type { ReceivedRequestOf, ResponseBodyOf } from '../../protocol/spec-types';
import type { ClusterState } from '../broker-state/cluster-state';
import { isValidTopicName } from '../broker-state/topic';
import { topicConfigProblem } from '../broker-state/topic-configs';
import { describedTopicConfigs } from './topic-config-entries';
import type { ApiHandler, BrokerRequest } from './handler';

type TopicToCreate = ReceivedRequestOf<typeof CreateTopics>['topics'][number];
type CreatedTopic = ResponseBodyOf<typeof CreateTopics>['topics'][number];

const ZERO_UUID = '00000000-0000-0000-0000-000000000000';

interface Verdict {
  readonly errorCode: number;
  readonly errorMessage: string | null;
}

const ok: Verdict = { errorCode: ErrorCode.NONE, errorMessage: null };
const refused = (errorCode: number, errorMessage: string): Verdict => ({ errorCode, errorMessage });

/** Kafka's checks of one topic to create, in the order its controller makes them. */
function check(
  cluster: ClusterState,
  t: TopicToCreate,
  partitions: number,
  replicationFactor: number,
): Verdict {
  if (!isValidTopicName(t.name))
    return refused(ErrorCode.INVALID_TOPIC_EXCEPTION, `Topic name "${t.name}" is illegal`);
  if (cluster.topics.has(t.name))
    return refused(ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${t.name}' already exists.`);
  if (t.assignments.length > 0)
    return refused(
      ErrorCode.INVALID_REQUEST,
      'the fake cluster places replicas itself: give partitions and a replication factor',
    );
  if (partitions < 1)
    return refused(ErrorCode.INVALID_PARTITIONS, 'Number of partitions must be larger than 0.');
  if (replicationFactor < 1)
    return refused(ErrorCode.INVALID_REPLICATION_FACTOR, 'Replication factor must be larger than 0.');
  if (replicationFactor > cluster.brokers.length)
    return refused(
      ErrorCode.INVALID_REPLICATION_FACTOR,
      `Unable to replicate the partition ${replicationFactor} time(s): The target replication factor of ${replicationFactor} cannot be reached because only ${cluster.brokers.length} broker(s) are registered.`,
    );
  for (const c of t.configs) {
    const problem = topicConfigProblem(c.name, c.value);
    if (problem !== undefined) return refused(ErrorCode.INVALID_CONFIG, problem);
  }
  return ok;
}

function result(
  request: BrokerRequest<typeof CreateTopics>,
  cluster: ClusterState,
  t: TopicToCreate,
): CreatedTopic {
  const partitions = t.numPartitions === -1 ? cluster.config.defaultPartitions : t.numPartitions;
  const replicationFactor =
    t.replicationFactor === -1 ? Math.min(3, cluster.brokers.length) : t.replicationFactor;
  const verdict = check(cluster, t, partitions, replicationFactor);
  const base = { name: t.name, topicConfigErrorCode: ErrorCode.NONE, ...verdict };
  if (verdict.errorCode !== ErrorCode.NONE)
    return { ...base, topicId: ZERO_UUID, numPartitions: -1, replicationFactor: -1, configs: null };
  // check() refused null values, so every config here has one.
  const configs = new Map(t.configs.map((c) => [c.name, c.value ?? '']));
  const topic = request.body.validateOnly
    ? undefined
    : cluster.createTopic(t.name, partitions, { replicationFactor, configs });
  return {
    ...base,
    topicId: topic?.topicId ?? ZERO_UUID,
    numPartitions: partitions,
    replicationFactor,
    configs: describedTopicConfigs(configs).map((c) => ({
      name: c.name,
      value: c.value,
      readOnly: false,
      configSource: c.configSource,
      isSensitive: false,
    })),
  };
}

/**
 * CreateTopics (key 19), answered by any broker (KRaft brokers forward it to the controller):
 * a partition count and replication factor (the cluster's defaults for -1) and configs, checked
 * as Kafka checks them; `validateOnly` creates nothing.
 */
export const createTopicsHandler: ApiHandler<typeof CreateTopics> = {
  api: CreateTopics,
  handle(request, cluster) {
    return of({
      throttleTimeMs: 0,
      topics: request.body.topics.map((t) => result(request, cluster, t)),
    });
  },
  errorResponse: (request, errorCode) => ({
    throttleTimeMs: 0,
    topics: request.body.topics.map((t) => ({
      name: t.name,
      topicId: ZERO_UUID,
      errorCode,
      errorMessage: null,
      topicConfigErrorCode: ErrorCode.NONE,
      numPartitions: -1,
      replicationFactor: -1,
      configs: null,
    })),
  }),
};
