import { of } from 'rxjs';
import { ErrorCode } from '../../protocol/errors';
import { IncrementalAlterConfigs } from '../../protocol/specs';
import type { ReceivedRequestOf, ResponseBodyOf } from '../../protocol/spec-types';
import type { ClusterState } from '../broker-state/cluster-state';
import { topicConfigProblem } from '../broker-state/topic-configs';
import { shareGroupConfigProblem } from '../share-group-coordinator/share-group-config';
import type { ApiHandler } from './handler';

type Resource = ReceivedRequestOf<typeof IncrementalAlterConfigs>['resources'][number];
type Altered = ResponseBodyOf<typeof IncrementalAlterConfigs>['responses'][number];

const TOPIC = 2;
const GROUP = 32;
const SET = 0;
const DELETE = 1;

function answer(resource: Resource, errorCode: number, errorMessage: string | null): Altered {
  return {
    errorCode,
    errorMessage,
    resourceType: resource.resourceType,
    resourceName: resource.resourceName,
  };
}

/** All of a resource's changes apply, or none (the first bad one is the answer). */
function alterOne(cluster: ClusterState, resource: Resource, validateOnly: boolean): Altered {
  if (resource.resourceType === GROUP) return alterGroup(cluster, resource, validateOnly);
  if (resource.resourceType !== TOPIC)
    return answer(
      resource,
      ErrorCode.INVALID_REQUEST,
      'the fake cluster alters topic and group configs only',
    );
  const topic = cluster.topics.get(resource.resourceName);
  if (topic === undefined)
    return answer(
      resource,
      ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
      `Topic ${resource.resourceName} does not exist.`,
    );
  const changes = resource.configs;
  for (const c of changes) {
    if (c.configOperation !== SET && c.configOperation !== DELETE)
      return answer(
        resource,
        ErrorCode.INVALID_REQUEST,
        'the fake cluster sets and deletes configs only (no append or subtract)',
      );
    const problem = topicConfigProblem(c.name, c.configOperation === SET ? c.value : '0');
    // Deleting a config only needs a known name.
    if (problem !== undefined && (c.configOperation === SET || problem.startsWith('Unknown')))
      return answer(resource, ErrorCode.INVALID_CONFIG, problem);
  }
  if (!validateOnly) {
    for (const c of changes) {
      if (c.configOperation === SET && c.value !== null) topic.configs.set(c.name, c.value);
      else topic.configs.delete(c.name);
    }
  }
  return answer(resource, ErrorCode.NONE, null);
}

/** A group's configs: those of share groups the fake models; the group need not exist yet, as in Kafka. */
function alterGroup(cluster: ClusterState, resource: Resource, validateOnly: boolean): Altered {
  const changes = resource.configs;
  for (const c of changes) {
    if (c.configOperation !== SET && c.configOperation !== DELETE)
      return answer(resource, ErrorCode.INVALID_REQUEST, 'the fake cluster sets and deletes configs only');
    const problem = shareGroupConfigProblem(c.name, c.configOperation === SET ? c.value : null);
    if (problem !== undefined) return answer(resource, ErrorCode.INVALID_CONFIG, problem);
  }
  if (!validateOnly) {
    const configs = cluster.sharePartitions.configsOf(resource.resourceName);
    for (const c of changes) {
      // Setting null is deleting, as a config record with a null value is in Kafka.
      if (c.configOperation === SET && c.value !== null) configs.set(c.name, c.value);
      else configs.delete(c.name);
    }
  }
  return answer(resource, ErrorCode.NONE, null);
}

/**
 * IncrementalAlterConfigs (key 44): sets and deletes topic configs (DescribeConfigs shows them) and
 * the share group configs `share.auto.offset.reset` and `share.record.lock.duration.ms`.
 */
export const incrementalAlterConfigsHandler: ApiHandler<typeof IncrementalAlterConfigs> = {
  api: IncrementalAlterConfigs,
  handle: (request, cluster) =>
    of({
      throttleTimeMs: 0,
      responses: request.body.resources.map((r) => alterOne(cluster, r, request.body.validateOnly === true)),
    }),
  errorResponse: (request, errorCode) => ({
    throttleTimeMs: 0,
    responses: request.body.resources.map((r) => answer(r, errorCode, null)),
  }),
};
