import { ErrorCode } from '../../../src/protocol/errors';
import {
  ApiVersions,
  ConsumerGroupDescribe,
  ConsumerGroupHeartbeat,
  ListGroups,
  OffsetCommit,
  OffsetFetch,
} from '../../../src/protocol/specs';
import { createFakeCluster, type FakeCluster } from '../../../src/testing';
import { topicIdFor } from '../../../src/testing/broker-state/topic';
import { callNow } from '../../support/fake-request';
import { consumerGroupHeartbeatFields } from '../../support/consumer-group-heartbeat';

function heartbeat(cluster: FakeCluster, memberId: string, memberEpoch: number, owned: number[] | null) {
  return callNow(cluster, ConsumerGroupHeartbeat, 1, {
    ...consumerGroupHeartbeatFields(memberId, memberEpoch),
    topicPartitions:
      owned === null
        ? null
        : [{ topicId: topicIdFor('t'), partitions: owned }].filter((t) => t.partitions.length > 0),
  });
}

function commit(cluster: FakeCluster, memberId: string, epoch: number): number {
  const r = callNow(cluster, OffsetCommit, 9, {
    groupId: 'g',
    generationIdOrMemberEpoch: epoch,
    memberId,
    groupInstanceId: null,
    topics: [
      {
        name: 't',
        partitions: [
          { partitionIndex: 0, committedOffset: 7n, committedLeaderEpoch: -1, committedMetadata: '' },
        ],
      },
    ],
  });
  return r?.topics[0].partitions[0].errorCode;
}

describe('KIP-848 handlers of the fake cluster', () => {
  it('answers ConsumerGroupHeartbeat with topic ids, takes commits at the member epoch and serves them back', () => {
    const cluster = createFakeCluster({ topics: { t: 2 }, consumerGroupHeartbeatIntervalMs: 1234 });
    expect(heartbeat(cluster, 'm1', 0, [])).toMatchObject({
      errorCode: 0,
      memberId: 'm1',
      memberEpoch: 1,
      heartbeatIntervalMs: 1234,
      assignment: { topicPartitions: [{ topicId: topicIdFor('t'), partitions: [0, 1] }] },
    });
    // Owned partitions said again: the answer carries the assignment again.
    expect(heartbeat(cluster, 'm1', 1, [0, 1])?.assignment).not.toBeNull();
    expect(heartbeat(cluster, 'm1', 1, null)?.assignment).toBeNull();
    expect(commit(cluster, 'm1', 2)).toBe(ErrorCode.FENCED_MEMBER_EPOCH);
    expect(commit(cluster, 'm1', 1)).toBe(ErrorCode.NONE);
    expect(cluster.committedOffsets('g').map((o) => [o.topic, o.partition, o.offset])).toEqual([
      ['t', 0, 7n],
    ]);
    const fetched = callNow(cluster, OffsetFetch, 9, {
      groups: [{ groupId: 'g', memberId: 'm1', memberEpoch: 0, topics: null }],
      requireStable: false,
    });
    expect(fetched?.groups[0].errorCode).toBe(ErrorCode.STALE_MEMBER_EPOCH);
    const fetchedNow = callNow(cluster, OffsetFetch, 9, {
      groups: [{ groupId: 'g', memberId: 'm1', memberEpoch: 1, topics: null }],
      requireStable: false,
    });
    expect(fetchedNow?.groups[0].topics[0].partitions[0].committedOffset).toBe(7n);
    void cluster.close();
  });

  it('lists and describes consumer groups', () => {
    const cluster = createFakeCluster({ topics: { t: 2 } });
    heartbeat(cluster, 'm1', 0, []);
    const listed = callNow(cluster, ListGroups, 5, { statesFilter: [], typesFilter: ['consumer'] });
    expect(listed?.groups).toEqual([
      { groupId: 'g', protocolType: 'consumer', groupState: 'Stable', groupType: 'consumer' },
    ]);
    const described = callNow(cluster, ConsumerGroupDescribe, 0, {
      groupIds: ['g', 'nope'],
      includeAuthorizedOperations: false,
    });
    expect(described?.groups[0]).toMatchObject({
      errorCode: 0,
      groupState: 'Stable',
      groupEpoch: 1,
      assignmentEpoch: 1,
      assignorName: 'uniform',
      members: [
        {
          memberId: 'm1',
          memberEpoch: 1,
          clientId: 'test',
          subscribedTopicNames: ['t'],
          assignment: { topicPartitions: [{ topicName: 't', partitions: [0, 1] }] },
        },
      ],
    });
    expect(described?.groups[1].errorCode).toBe(ErrorCode.GROUP_ID_NOT_FOUND);
    void cluster.close();
  });

  it("leaves ConsumerGroupHeartbeat out of ApiVersions for groupProtocols: ['classic']", () => {
    const keys = (cluster: FakeCluster) =>
      callNow(cluster, ApiVersions, 3, { clientSoftwareName: 'x', clientSoftwareVersion: '1' })?.apiKeys.map(
        (k: { apiKey: number }) => k.apiKey,
      );
    expect(keys(createFakeCluster())).toContain(ConsumerGroupHeartbeat.apiKey);
    expect(keys(createFakeCluster({ groupProtocols: ['classic'] }))).not.toContain(
      ConsumerGroupHeartbeat.apiKey,
    );
  });
});
