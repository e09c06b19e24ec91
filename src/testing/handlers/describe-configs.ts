import { of } from 'rxjs';
import { ErrorCode } from '../../protocol/errors';
import { DescribeConfigs } from '../../protocol/specs';
import type { ReceivedRequestOf, ResponseBodyOf } from '../../protocol/spec-types';
import type { ClusterState } from '../broker-state/cluster-state';
import { describedTopicConfigs } from './topic-config-entries';
import type { ApiHandler } from './handler';

type Resource = ReceivedRequestOf<typeof DescribeConfigs>['resources'][number];
type Described = ResponseBodyOf<typeof DescribeConfigs>['results'][number];

const TOPIC = 2;
const BROKER = 4;

function result(
  resource: Resource,
  errorCode: number,
  errorMessage: string | null,
  configs: Described['configs'],
): Described {
  return {
    errorCode,
    errorMessage,
    resourceType: resource.resourceType,
    resourceName: resource.resourceName,
    configs,
  };
}

function describeOne(cluster: ClusterState, resource: Resource, synonyms: boolean): Described {
  if (resource.resourceType === BROKER) {
    // A broker answers for itself; the fake brokers have no configs worth reporting.
    return result(resource, ErrorCode.NONE, null, []);
  }
  if (resource.resourceType !== TOPIC)
    return result(
      resource,
      ErrorCode.INVALID_REQUEST,
      'the fake cluster describes topics and brokers only',
      [],
    );
  const topic = cluster.topics.get(resource.resourceName);
  if (topic === undefined)
    return result(
      resource,
      ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
      `Topic ${resource.resourceName} does not exist.`,
      [],
    );
  const keys = resource.configurationKeys;
  const configs = describedTopicConfigs(topic.configs)
    .filter((c) => keys === null || keys.includes(c.name))
    .map((c) => ({
      name: c.name,
      value: c.value,
      readOnly: false,
      configSource: c.configSource,
      isSensitive: false,
      synonyms: synonyms ? [{ name: c.name, value: c.value, source: c.configSource }] : [],
      configType: 0,
      documentation: null,
    }));
  return result(resource, ErrorCode.NONE, null, configs);
}

/**
 * DescribeConfigs (key 32): a topic's configs, each set one as DYNAMIC_TOPIC_CONFIG and the rest
 * with Kafka's defaults as DEFAULT_CONFIG (a basic set of names, see topic-configs); brokers have none.
 */
export const describeConfigsHandler: ApiHandler<typeof DescribeConfigs> = {
  api: DescribeConfigs,
  handle: (request, cluster) =>
    of({
      throttleTimeMs: 0,
      results: request.body.resources.map((r) =>
        describeOne(cluster, r, request.body.includeSynonyms === true),
      ),
    }),
  errorResponse: (request, errorCode) => ({
    throttleTimeMs: 0,
    results: request.body.resources.map((r) => result(r, errorCode, null, [])),
  }),
};
