import type { ApiHandler } from './handler';
import { addOffsetsToTxnHandler } from './add-offsets-to-txn';
import { addPartitionsToTxnHandler } from './add-partitions-to-txn';
import { endTxnHandler } from './end-txn';
import { txnOffsetCommitHandler } from './txn-offset-commit';
import { apiVersionsHandler } from './api-versions';
import { consumerGroupDescribeHandler } from './consumer-group-describe';
import { consumerGroupHeartbeatHandler } from './consumer-group-heartbeat';
import { createPartitionsHandler } from './create-partitions';
import { createTopicsHandler } from './create-topics';
import { deleteGroupsHandler } from './delete-groups';
import { deleteTopicsHandler } from './delete-topics';
import { describeConfigsHandler } from './describe-configs';
import { describeGroupsHandler } from './describe-groups';
import { incrementalAlterConfigsHandler } from './incremental-alter-configs';
import { listGroupsHandler } from './list-groups';
import { fetchHandler } from './fetch';
import { findCoordinatorHandler } from './find-coordinator';
import { heartbeatHandler } from './heartbeat';
import { initProducerIdHandler } from './init-producer-id';
import { joinGroupHandler } from './join-group';
import { leaveGroupHandler } from './leave-group';
import { listOffsetsHandler } from './list-offsets';
import { metadataHandler } from './metadata';
import { offsetCommitHandler } from './offset-commit';
import { offsetFetchHandler } from './offset-fetch';
import { produceHandler } from './produce';
import { shareAcknowledgeHandler } from './share-acknowledge';
import { shareFetchHandler } from './share-fetch';
import { shareGroupHeartbeatHandler } from './share-group-heartbeat';
import { syncGroupHandler } from './sync-group';
import { supportedApis } from './supported-apis';
import {
  ConsumerGroupDescribe,
  ConsumerGroupHeartbeat,
  ShareAcknowledge,
  ShareFetch,
  ShareGroupHeartbeat,
} from '../../protocol/specs';
import type { ClusterState } from '../broker-state/cluster-state';

export type { ApiHandler, BrokerRequest } from './handler';
export { unsupportedApiVersionsResponse } from './api-versions';

/**
 * The fake brokers' handlers, by API key: one file per API, as franz-go's kfake. Each is typed
 * for its own API; `ApiHandler<any>` stands for "a handler of some API" (TypeScript has no
 * existential types), and the dispatcher decodes each body with that handler's own spec.
 */
export const handlers: ReadonlyMap<number, ApiHandler<any>> = new Map(
  [
    produceHandler,
    fetchHandler,
    listOffsetsHandler,
    metadataHandler,
    offsetCommitHandler,
    offsetFetchHandler,
    findCoordinatorHandler,
    joinGroupHandler,
    heartbeatHandler,
    leaveGroupHandler,
    syncGroupHandler,
    apiVersionsHandler((cluster) => answeredApis.filter((api) => !disabled(cluster).has(api.apiKey))),
    initProducerIdHandler,
    addPartitionsToTxnHandler,
    addOffsetsToTxnHandler,
    endTxnHandler,
    txnOffsetCommitHandler,
    createTopicsHandler,
    deleteTopicsHandler,
    createPartitionsHandler,
    listGroupsHandler,
    describeGroupsHandler,
    deleteGroupsHandler,
    describeConfigsHandler,
    incrementalAlterConfigsHandler,
    consumerGroupHeartbeatHandler,
    consumerGroupDescribeHandler,
    shareGroupHeartbeatHandler,
    shareFetchHandler,
    shareAcknowledgeHandler,
  ].map((h) => [h.api.apiKey, h]),
);

const consumerApis = [ConsumerGroupHeartbeat.apiKey, ConsumerGroupDescribe.apiKey];
const shareApis = [ShareGroupHeartbeat.apiKey, ShareFetch.apiKey, ShareAcknowledge.apiKey];

/** The API keys a cluster's group protocols leave out of ApiVersions (none without a cluster). */
function disabled(cluster: ClusterState | undefined): ReadonlySet<number> {
  const protocols = cluster?.config.groupProtocols ?? ['consumer', 'share'];
  return new Set([
    ...(protocols.includes('consumer') ? [] : consumerApis),
    ...(protocols.includes('share') ? [] : shareApis),
  ]);
}

/** The APIs the fake brokers answer, with their versions, as ApiVersions lists them. */
const answeredApis = supportedApis(handlers.keys());
