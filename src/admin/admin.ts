import type { CallOptions } from './admin-context';
import type { CreatePartitionsResult, NewPartitions } from './create-partitions';
import type { CreateTopicResult, CreateTopicsOptions, NewTopic } from './create-topics';
import type { DeleteTopicResult } from './delete-topics';
import type { ClusterDescription } from './describe-cluster';
import type { TopicDescription } from './describe-topics';
import type { ListTopicsOptions } from './list-topics';

/**
 * Kafka's administrative operations. Every method returns a Promise bounded by its deadline
 * (`timeoutMs`, default the client's `apiTimeoutMs`). Methods over several items (topics,
 * partitions, groups, config resources) resolve with one result per item, in the order asked, each
 * with an `error` when that item failed: one bad item never fails the others. The Promise rejects
 * only when the call as a whole fails (no broker answers, the deadline passes, a bad argument).
 */
export interface Admin {
  /** Creates topics; `validateOnly` checks without creating. */
  createTopics(
    topics: readonly NewTopic[],
    options?: CreateTopicsOptions & CallOptions,
  ): Promise<CreateTopicResult[]>;
  deleteTopics(names: readonly string[], options?: CallOptions): Promise<DeleteTopicResult[]>;
  /** Raises topics' partition counts. */
  createPartitions(
    topics: readonly NewPartitions[],
    options?: { readonly validateOnly?: boolean } & CallOptions,
  ): Promise<CreatePartitionsResult[]>;
  /** Topic names, sorted; Kafka's internal topics only with `internal: true`. */
  listTopics(options?: ListTopicsOptions & CallOptions): Promise<string[]>;
  /** Partitions with leader, replicas and ISR, and the topic id. */
  describeTopics(names: readonly string[], options?: CallOptions): Promise<TopicDescription[]>;
  /** Brokers, controller and cluster id. */
  describeCluster(options?: CallOptions): Promise<ClusterDescription>;
  /** Closes the connections (unless the cluster view was given in the config). */
  close(): Promise<void>;
}
