export type {
  Cluster,
  ClusterMetadata,
  CoordinatorType,
  PartitionMetadata,
  TopicMetadata,
  WatchableCluster,
} from './cluster';
export { createCluster, type ClusterOptions } from './create-cluster';
export { parseBrokerAddress } from './broker-list';
export { isRetriable, retryWithBackoff, type RetryOptions } from './retry-with-backoff';
