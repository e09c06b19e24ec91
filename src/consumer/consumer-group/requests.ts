import type { RequestOf } from '../../protocol/spec-types';
import type { ConsumerGroupHeartbeat } from '../../protocol/specs';
import { UnsupportedVersionError } from '../../transport/errors';
import type { RequestBody } from '../../transport/transport';
import type { ResolvedConsumerConfig } from '../config';
import type { TopicIdPartitions } from './topic-ids';

type HeartbeatConfig = Pick<
  ResolvedConsumerConfig,
  'groupId' | 'groupInstanceId' | 'rebalanceTimeoutMs' | 'topics' | 'topicPattern' | 'groupRemoteAssignor'
>;

/**
 * A ConsumerGroupHeartbeat. Every heartbeat carries the whole member (subscription, assignor,
 * owned partitions) rather than only what changed: the coordinator then never depends on an
 * earlier heartbeat having arrived. A pattern goes to the broker as `subscribedTopicRegex` (v1+).
 *
 * The subscription always travels as a pair, as librdkafka sends it: topic names with an empty
 * regex (Kafka reads "" as no regex), or an empty name list with the regex. A null regex next to
 * names is legal for Kafka, but librdkafka's mock cluster aborts on it
 * (`validate_subscription` in rdkafka_mock_cgrp.c asserts both null or both non-null).
 */
export function consumerGroupHeartbeatBody(
  config: HeartbeatConfig,
  memberId: string,
  memberEpoch: number,
  owned: readonly TopicIdPartitions[] | null,
): RequestBody<typeof ConsumerGroupHeartbeat> {
  return (version: number): RequestOf<typeof ConsumerGroupHeartbeat> => {
    const pattern = config.topicPattern;
    if (pattern !== null && version < 1) {
      throw new UnsupportedVersionError(
        `ConsumerGroupHeartbeat v${version}: a topicPattern needs v1 (subscribedTopicRegex, Kafka 4.0+)`,
      );
    }
    return {
      groupId: config.groupId,
      memberId,
      memberEpoch,
      instanceId: config.groupInstanceId,
      rackId: null,
      rebalanceTimeoutMs: config.rebalanceTimeoutMs,
      subscribedTopicNames: pattern === null ? config.topics : [],
      subscribedTopicRegex: pattern === null ? '' : pattern.source,
      serverAssignor: config.groupRemoteAssignor,
      topicPartitions:
        owned === null ? null : owned.map((t) => ({ topicId: t.topicId, partitions: [...t.partitions] })),
    };
  };
}

/** Leaving: epoch -1, or -2 for a static member (it keeps its assignment until the session times out, KIP-345). */
export function consumerGroupLeaveBody(
  config: HeartbeatConfig,
  memberId: string,
  memberEpoch: number,
): RequestBody<typeof ConsumerGroupHeartbeat> {
  return {
    groupId: config.groupId,
    memberId,
    memberEpoch,
    instanceId: config.groupInstanceId,
    rackId: null,
    rebalanceTimeoutMs: -1,
    subscribedTopicNames: null,
    subscribedTopicRegex: null,
    serverAssignor: null,
    topicPartitions: null,
  };
}
