import { of } from 'rxjs';
import { ErrorCode } from '../../protocol/errors';
import { CreatePartitions } from '../../protocol/specs';
import type { ReceivedRequestOf, ResponseBodyOf } from '../../protocol/spec-types';
import type { ClusterState } from '../broker-state/cluster-state';
import type { ApiHandler } from './handler';

type TopicToGrow = ReceivedRequestOf<typeof CreatePartitions>['topics'][number];
type GrownTopic = ResponseBodyOf<typeof CreatePartitions>['results'][number];

function grow(cluster: ClusterState, t: TopicToGrow, validateOnly: boolean): GrownTopic {
  const refused = (errorCode: number, errorMessage: string) => ({ name: t.name, errorCode, errorMessage });
  const topic = cluster.topics.get(t.name);
  if (topic === undefined)
    return refused(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `The topic '${t.name}' does not exist.`);
  const current = topic.partitions.length;
  if (t.count < current)
    return refused(
      ErrorCode.INVALID_PARTITIONS,
      `Topic currently has ${current} partitions, which is higher than the requested ${t.count}.`,
    );
  if (t.count === current)
    return refused(ErrorCode.INVALID_PARTITIONS, `Topic already has ${current} partitions.`);
  if (t.assignments !== null)
    return refused(
      ErrorCode.INVALID_REQUEST,
      'the fake cluster places replicas itself: leave out the assignments',
    );
  if (!validateOnly) cluster.createPartitions(t.name, t.count);
  return { name: t.name, errorCode: ErrorCode.NONE, errorMessage: null };
}

/** CreatePartitions (key 37), answered by any broker: raises partition counts, never lowers them. */
export const createPartitionsHandler: ApiHandler<typeof CreatePartitions> = {
  api: CreatePartitions,
  handle: (request, cluster) =>
    of({
      throttleTimeMs: 0,
      results: request.body.topics.map((t) => grow(cluster, t, request.body.validateOnly === true)),
    }),
  errorResponse: (request, errorCode) => ({
    throttleTimeMs: 0,
    results: request.body.topics.map((t) => ({ name: t.name, errorCode, errorMessage: null })),
  }),
};
