import { ErrorCode } from '../../../src/protocol/errors';
import { FindCoordinator, Metadata, OffsetCommit, OffsetFetch } from '../../../src/protocol/specs';
import { createFakeCluster, type FakeCluster } from '../../../src/testing';
import { callNow } from '../../support/fake-request';

function coordinatorOf(cluster: FakeCluster, groupId: string): number {
  return callNow(cluster, FindCoordinator, 3, { key: groupId, keyType: 0 })?.nodeId;
}

function commit(
  cluster: FakeCluster,
  nodeId: number,
  groupId: string,
  offsets: Array<[string, number, bigint]>,
) {
  const response = callNow(
    cluster,
    OffsetCommit,
    8,
    {
      groupId,
      generationIdOrMemberEpoch: -1,
      memberId: '',
      groupInstanceId: null,
      topics: offsets.map(([name, partitionIndex, committedOffset]) => ({
        name,
        partitions: [{ partitionIndex, committedOffset, committedLeaderEpoch: -1, committedMetadata: 'm' }],
      })),
    },
    nodeId,
  );
  return response?.topics.map((t: { partitions: Array<{ errorCode: number }> }) => t.partitions[0].errorCode);
}

describe('offset and coordinator handlers', () => {
  it('routes a group to one coordinator; other brokers answer NOT_COORDINATOR', () => {
    const cluster = createFakeCluster({ brokers: 3, topics: { t: 2 } });
    const coordinator = coordinatorOf(cluster, 'g');
    const other = (coordinator + 1) % 3;
    expect(commit(cluster, other, 'g', [['t', 0, 1n]])).toEqual([ErrorCode.NOT_COORDINATOR]);
    expect(
      commit(cluster, coordinator, 'g', [
        ['t', 0, 4n],
        ['missing', 0, 1n],
      ]),
    ).toEqual([0, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]);
    // v4+ asks for several keys at once.
    const v4 = callNow(cluster, FindCoordinator, 4, { keyType: 0, coordinatorKeys: ['g', 'h'] }, other);
    expect(v4?.coordinators.map((c: { key: string; nodeId: number }) => [c.key, c.nodeId])).toEqual([
      ['g', coordinator],
      ['h', coordinatorOf(cluster, 'h')],
    ]);
  });

  it('answers OffsetFetch v8 for several groups at once, and v7 for one, with -1 where nothing was committed', () => {
    const cluster = createFakeCluster({ topics: { t: 2 } });
    commit(cluster, 0, 'a', [['t', 0, 7n]]);
    commit(cluster, 0, 'b', [['t', 1, 9n]]);
    const v8 = callNow(cluster, OffsetFetch, 8, {
      groups: [
        { groupId: 'a', topics: [{ name: 't', partitionIndexes: [0, 1] }] },
        { groupId: 'b', topics: null },
      ],
      requireStable: false,
    });
    const flat = (
      topics: Array<{
        name: string;
        partitions: Array<{ partitionIndex: number; committedOffset: bigint; metadata: string }>;
      }>,
    ) =>
      topics.flatMap((t) =>
        t.partitions.map((p) => [t.name, p.partitionIndex, p.committedOffset, p.metadata]),
      );
    expect(
      v8?.groups.map((g: { groupId: string; topics: never; errorCode: number }) => [
        g.groupId,
        g.errorCode,
        flat(g.topics),
      ]),
    ).toEqual([
      [
        'a',
        0,
        [
          ['t', 0, 7n, 'm'],
          ['t', 1, -1n, ''],
        ],
      ],
      ['b', 0, [['t', 1, 9n, 'm']]],
    ]);
    const v7 = callNow(cluster, OffsetFetch, 7, { groupId: 'a', topics: null, requireStable: false });
    expect(flat(v7?.topics)).toEqual([['t', 0, 7n, 'm']]);
    expect(cluster.committedOffsets('a')).toEqual([
      { topic: 't', partition: 0, offset: 7n, leaderEpoch: -1, metadata: 'm' },
    ]);
  });

  it('creates unknown topics from Metadata only when the cluster and the request allow it', () => {
    const request = (allowAutoTopicCreation: boolean) => ({
      topics: [{ topicId: '00000000-0000-0000-0000-000000000000', name: 'fresh' }],
      allowAutoTopicCreation,
      includeTopicAuthorizedOperations: false,
    });
    const strict = createFakeCluster({ autoCreateTopics: false });
    expect(callNow(strict, Metadata, 12, request(true))?.topics[0].errorCode).toBe(
      ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
    );
    const lenient = createFakeCluster({ defaultPartitions: 2 });
    expect(callNow(lenient, Metadata, 12, request(false))?.topics[0].errorCode).toBe(
      ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
    );
    const created = callNow(lenient, Metadata, 12, request(true))?.topics[0];
    expect(created.errorCode).toBe(0);
    expect(created.partitions).toHaveLength(2);
    expect(created.topicId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
