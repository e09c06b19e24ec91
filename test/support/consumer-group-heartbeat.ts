/**
 * The fields of a ConsumerGroupHeartbeat request (KIP-848) that the fake cluster's tests share:
 * member `memberId` at `memberEpoch` in `groupId`, subscribed to topic 't' by name, no static
 * instance, no rack, the broker's own assignor. Owned partitions are each test's own.
 */
export function consumerGroupHeartbeatFields(memberId: string, memberEpoch: number, groupId = 'g') {
  return {
    groupId,
    memberId,
    memberEpoch,
    instanceId: null,
    rackId: null,
    rebalanceTimeoutMs: 30000,
    subscribedTopicNames: ['t'],
    subscribedTopicRegex: null,
    serverAssignor: null,
  };
}
