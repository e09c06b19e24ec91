import { createCluster } from '../cluster';
import type { Cluster } from '../cluster/cluster';
import { defaultTransport } from '../transport/default-transport';
import { createAcls$, deleteAcls$, describeAcls$ } from './acls';
import type { Admin } from './admin';
import { resolveAdminConfig, type AdminConfig } from './admin-config';
import { adminContext, runCall } from './admin-context';
import { alterOffsets$ } from './alter-offsets';
import { alterUserScramCredentials$ } from './alter-user-scram-credentials';
import { createPartitions$ } from './create-partitions';
import { createTopics$ } from './create-topics';
import { deleteGroups$ } from './delete-groups';
import { deleteRecords$ } from './delete-records';
import { deleteTopics$ } from './delete-topics';
import { describeCluster$ } from './describe-cluster';
import { describeConfigs$ } from './describe-configs';
import { describeGroups$ } from './describe-groups';
import { describeTopics$ } from './describe-topics';
import { describeUserScramCredentials$ } from './describe-user-scram-credentials';
import { fetchOffsets$ } from './fetch-offsets';
import { incrementalAlterConfigs$ } from './incremental-alter-configs';
import { lag$ } from './lag';
import { listGroups$ } from './list-groups';
import { listOffsets$ } from './list-offsets';
import { listTopics$ } from './list-topics';
import { resetOffsets$ } from './reset-offsets';

/**
 * An admin client: topics, offsets and lag, groups, configs and the cluster's description (see
 * `Admin`). Connects lazily, on the first call. Throws a `ConfigError` for a bad configuration.
 *
 * @example
 * const admin = createAdmin({ brokers: ['127.0.0.1:9092'] });
 * const [created] = await admin.createTopics([{ name: 'orders', partitions: 6 }]);
 * if (created.error) console.error(created.error.name);
 * await admin.close();
 */
export function createAdmin(config: AdminConfig): Admin {
  const resolved = resolveAdminConfig(config);
  const cluster: Cluster =
    config.cluster ??
    createCluster({
      brokers: config.brokers,
      transport: defaultTransport('createAdmin', config, {
        clientId: config.clientId,
        clock: resolved.clock,
        requestTimeoutMs: resolved.requestTimeoutMs + 5000,
      }),
      clock: resolved.clock,
      retries: resolved.retries,
      retryBackoffMs: resolved.retryBackoffMs,
      retryBackoffMaxMs: resolved.retryBackoffMaxMs,
      bootstrapTimeoutMs: config.bootstrapTimeoutMs,
    });
  const ctx = adminContext(cluster, resolved);
  return {
    createTopics: (topics, options) =>
      runCall(ctx, 'createTopics', createTopics$(ctx, topics, options), options),
    deleteTopics: (names, options) => runCall(ctx, 'deleteTopics', deleteTopics$(ctx, names), options),
    createPartitions: (topics, options) =>
      runCall(ctx, 'createPartitions', createPartitions$(ctx, topics, options), options),
    listTopics: (options) => runCall(ctx, 'listTopics', listTopics$(ctx, options), options),
    describeTopics: (names, options) => runCall(ctx, 'describeTopics', describeTopics$(ctx, names), options),
    describeCluster: (options) => runCall(ctx, 'describeCluster', describeCluster$(ctx), options),
    listOffsets: (partitions, spec, options) =>
      runCall(ctx, 'listOffsets', listOffsets$(ctx, partitions, spec, options), options),
    fetchOffsets: (groupId, options) =>
      runCall(ctx, 'fetchOffsets', fetchOffsets$(ctx, groupId, options), options),
    alterOffsets: (groupId, offsets, options) =>
      runCall(ctx, 'alterOffsets', alterOffsets$(ctx, groupId, offsets), options),
    resetOffsets: (groupId, partitions, target, options) =>
      runCall(ctx, 'resetOffsets', resetOffsets$(ctx, groupId, partitions, target, options), options),
    lag: (groupId, options) => runCall(ctx, 'lag', lag$(ctx, groupId, options), options),
    deleteRecords: (records, options) => runCall(ctx, 'deleteRecords', deleteRecords$(ctx, records), options),
    listGroups: (options) => runCall(ctx, 'listGroups', listGroups$(ctx, options), options),
    describeGroups: (groupIds, options) =>
      runCall(ctx, 'describeGroups', describeGroups$(ctx, groupIds), options),
    deleteGroups: (groupIds, options) => runCall(ctx, 'deleteGroups', deleteGroups$(ctx, groupIds), options),
    describeConfigs: (resources, options) =>
      runCall(ctx, 'describeConfigs', describeConfigs$(ctx, resources, options), options),
    incrementalAlterConfigs: (resources, options) =>
      runCall(ctx, 'incrementalAlterConfigs', incrementalAlterConfigs$(ctx, resources, options), options),
    describeUserScramCredentials: (users, options) =>
      runCall(ctx, 'describeUserScramCredentials', describeUserScramCredentials$(ctx, users), options),
    alterUserScramCredentials: (changes, options) =>
      runCall(ctx, 'alterUserScramCredentials', alterUserScramCredentials$(ctx, changes), options),
    createAcls: (bindings, options) => runCall(ctx, 'createAcls', createAcls$(ctx, bindings), options),
    describeAcls: (filter, options) => runCall(ctx, 'describeAcls', describeAcls$(ctx, filter), options),
    deleteAcls: (filters, options) => runCall(ctx, 'deleteAcls', deleteAcls$(ctx, filters), options),
    close: () => (config.cluster ? Promise.resolve() : cluster.close()),
  };
}
