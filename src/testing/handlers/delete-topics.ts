import { of } from 'rxjs';
import { ErrorCode } from '../../protocol/errors';
import { DeleteTopics } from '../../protocol/specs';
import type { ResponseBodyOf } from '../../protocol/spec-types';
import type { ClusterState } from '../broker-state/cluster-state';
import type { ApiHandler, BrokerRequest } from './handler';

const ZERO_UUID = '00000000-0000-0000-0000-000000000000';

type DeletedTopic = ResponseBodyOf<typeof DeleteTopics>['responses'][number];

/** The topics asked for, by name (v1-5) or by name or id (v6). */
function asked(request: BrokerRequest<typeof DeleteTopics>): Array<{ name: string | null; topicId: string }> {
  if (request.version >= 6)
    return (request.body.topics ?? []).map((t) => ({ name: t.name ?? null, topicId: t.topicId }));
  return (request.body.topicNames ?? []).map((name) => ({ name, topicId: ZERO_UUID }));
}

function deleteOne(cluster: ClusterState, t: { name: string | null; topicId: string }): DeletedTopic {
  const topic =
    t.name !== null
      ? cluster.topics.get(t.name)
      : t.topicId !== ZERO_UUID
        ? cluster.topicById(t.topicId)
        : undefined;
  if (topic === undefined) {
    return {
      name: t.name,
      topicId: t.topicId,
      errorCode: t.name !== null ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION : ErrorCode.UNKNOWN_TOPIC_ID,
      errorMessage: 'This server does not host this topic.',
    };
  }
  cluster.deleteTopic(topic.name);
  return { name: topic.name, topicId: topic.topicId, errorCode: ErrorCode.NONE, errorMessage: null };
}

/** DeleteTopics (key 20), answered by any broker: the topics, their logs and the groups' offsets of them go. */
export const deleteTopicsHandler: ApiHandler<typeof DeleteTopics> = {
  api: DeleteTopics,
  handle: (request, cluster) =>
    of({ throttleTimeMs: 0, responses: asked(request).map((t) => deleteOne(cluster, t)) }),
  errorResponse: (request, errorCode) => ({
    throttleTimeMs: 0,
    responses: asked(request).map((t) => ({ ...t, errorCode, errorMessage: null })),
  }),
};
