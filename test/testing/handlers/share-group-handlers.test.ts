import { TestScheduler } from 'rxjs/testing';
import { ErrorCode } from '../../../src/protocol/errors';
import {
  ApiVersions,
  ConsumerGroupHeartbeat,
  IncrementalAlterConfigs,
  ListGroups,
  ShareAcknowledge,
  ShareFetch,
  ShareGroupHeartbeat,
} from '../../../src/protocol/specs';
import type { Message } from '../../../src/protocol/spec';
import { createFakeCluster, type FakeCluster } from '../../../src/testing';
import { topicIdFor } from '../../../src/testing/broker-state/topic';
import { call, callNow } from '../../support/fake-request';
import { consumerGroupHeartbeatFields } from '../../support/consumer-group-heartbeat';

const T = topicIdFor('t');

function heartbeat(
  cluster: FakeCluster,
  memberId: string,
  memberEpoch: number,
  topics: string[] | null = ['t'],
) {
  return callNow(cluster, ShareGroupHeartbeat, 1, {
    groupId: 'g',
    memberId,
    memberEpoch,
    rackId: null,
    subscribedTopicNames: topics,
  });
}

function consumerHeartbeatBody(groupId: string): Message {
  return { ...consumerGroupHeartbeatFields('c1', 0, groupId), topicPartitions: [] };
}

interface Ack {
  firstOffset: bigint;
  lastOffset: bigint;
  acknowledgeTypes: number[];
}

function fetchBody(memberId: string, epoch: number, acks: Ack[] = [], extra: Message = {}): Message {
  return {
    groupId: 'g',
    memberId,
    shareSessionEpoch: epoch,
    maxWaitMs: 0,
    minBytes: 1,
    maxBytes: 1 << 20,
    maxRecords: 500,
    batchSize: 500,
    shareAcquireMode: 1,
    isRenewAck: false,
    topics: [{ topicId: T, partitions: [{ partitionIndex: 0, acknowledgementBatches: acks }] }],
    forgottenTopicsData: [],
    ...extra,
  };
}

function shareFetch(
  cluster: FakeCluster,
  memberId: string,
  epoch: number,
  acks: Ack[] = [],
  extra: Message = {},
) {
  return callNow(cluster, ShareFetch, 2, fetchBody(memberId, epoch, acks, extra));
}

function acknowledge(cluster: FakeCluster, memberId: string, epoch: number, acks: Ack[], isRenewAck = false) {
  return callNow(cluster, ShareAcknowledge, 2, {
    groupId: 'g',
    memberId,
    shareSessionEpoch: epoch,
    isRenewAck,
    topics: [{ topicId: T, partitions: [{ partitionIndex: 0, acknowledgementBatches: acks }] }],
  });
}

/** The AcquiredRecords of a ShareFetch answer's one partition, as `first-last#deliveryCount`. */
function acquired(response: Message | undefined): string[] {
  const part = response?.responses[0]?.partitions[0];
  return (part?.acquiredRecords ?? []).map(
    (r: { firstOffset: bigint; lastOffset: bigint; deliveryCount: number }) =>
      `${r.firstOffset}-${r.lastOffset}#${r.deliveryCount}`,
  );
}

const ack = (first: number, last: number, type: number): Ack => ({
  firstOffset: BigInt(first),
  lastOffset: BigInt(last),
  acknowledgeTypes: [type],
});

function clusterWith(records: number, options: Parameters<typeof createFakeCluster>[0] = {}): FakeCluster {
  const cluster = createFakeCluster({ topics: { t: 1 }, shareAutoOffsetReset: 'earliest', ...options });
  for (let i = 0; i < records; i++) cluster.append('t', 0, [{ value: `v${i}` }]);
  return cluster;
}

describe('share group handlers of the fake cluster', () => {
  it('ShareGroupHeartbeat: joins with epoch 0, gives every member every partition, fences a wrong epoch, leaves with -1', () => {
    const cluster = createFakeCluster({ topics: { t: 2 }, shareGroupHeartbeatIntervalMs: 1234 });
    const all = { topicPartitions: [{ topicId: T, partitions: [0, 1] }] };
    expect(heartbeat(cluster, 'm1', 0)).toMatchObject({
      errorCode: 0,
      memberId: 'm1',
      memberEpoch: 1,
      heartbeatIntervalMs: 1234,
      assignment: all,
    });
    expect(heartbeat(cluster, 'm2', 0)).toMatchObject({ errorCode: 0, memberEpoch: 2, assignment: all });
    // m1 takes the new group epoch at its next heartbeat; its assignment did not change, so it is not sent.
    expect(heartbeat(cluster, 'm1', 1)).toMatchObject({ errorCode: 0, memberEpoch: 2, assignment: null });
    expect(heartbeat(cluster, 'm1', 1)?.errorCode).toBe(ErrorCode.FENCED_MEMBER_EPOCH);
    expect(heartbeat(cluster, 'nobody', 3)?.errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(heartbeat(cluster, 'm3', 0, null)?.errorCode).toBe(ErrorCode.INVALID_REQUEST);
    expect(heartbeat(cluster, '', 0)?.errorCode).toBe(ErrorCode.INVALID_REQUEST);
    expect(heartbeat(cluster, 'm2', -1, null)).toMatchObject({
      errorCode: 0,
      memberId: 'm2',
      memberEpoch: -1,
    });
    expect(cluster.groups.describeShareGroup('g')).toMatchObject({
      state: 'Stable',
      groupEpoch: 3,
      members: [{ memberId: 'm1', memberEpoch: 2 }],
    });
    const listed = callNow(cluster, ListGroups, 5, { statesFilter: [], typesFilter: ['share'] });
    expect(listed?.groups).toEqual([
      { groupId: 'g', protocolType: 'share', groupState: 'Stable', groupType: 'share' },
    ]);
  });

  it('a group id is a share group or a consumer group, not both: GROUP_ID_NOT_FOUND', () => {
    const cluster = createFakeCluster({ topics: { t: 1 } });
    expect(heartbeat(cluster, 'm1', 0)?.errorCode).toBe(0);
    const consumerHeartbeat = callNow(cluster, ConsumerGroupHeartbeat, 1, consumerHeartbeatBody('g'));
    expect(consumerHeartbeat?.errorCode).toBe(ErrorCode.GROUP_ID_NOT_FOUND);
    expect(callNow(cluster, ConsumerGroupHeartbeat, 1, consumerHeartbeatBody('other'))?.errorCode).toBe(0);
    expect(
      callNow(cluster, ShareGroupHeartbeat, 1, {
        groupId: 'other',
        memberId: 'm1',
        memberEpoch: 0,
        rackId: null,
        subscribedTopicNames: ['t'],
      })?.errorCode,
    ).toBe(ErrorCode.GROUP_ID_NOT_FOUND);
  });

  it('ShareGroupHeartbeat: a member without a heartbeat for the session timeout is removed and its records released', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(() => {
      const cluster = clusterWith(2, { clock: scheduler, shareGroupSessionTimeoutMs: 10000 });
      heartbeat(cluster, 'm1', 0);
      expect(acquired(shareFetch(cluster, 'm1', 0))).toEqual(['0-1#1']);
      scheduler.schedule(() => {
        expect(cluster.groups.describeShareGroup('g')?.members).toHaveLength(1);
      }, 9999);
      scheduler.schedule(() => {
        expect(cluster.groups.describeShareGroup('g')).toMatchObject({ state: 'Empty', members: [] });
        // Its share session went with it, and its records are available to the next member.
        expect(shareFetch(cluster, 'm1', 1)?.errorCode).toBe(ErrorCode.SHARE_SESSION_NOT_FOUND);
        expect(acquired(shareFetch(cluster, 'm2', 0))).toEqual(['0-1#2']);
      }, 10000);
    });
  });

  it('ShareFetch: record-limit mode acquires at most maxRecords; batch mode whole batches', () => {
    const cluster = createFakeCluster({ topics: { t: 1 }, shareAutoOffsetReset: 'earliest' });
    cluster.append(
      't',
      0,
      ['a', 'b', 'c'].map((value) => ({ value })),
    );
    cluster.append(
      't',
      0,
      ['d', 'e', 'f'].map((value) => ({ value })),
    );
    expect(acquired(shareFetch(cluster, 'm1', 0, [], { maxRecords: 2 }))).toEqual(['0-1#1']);
    expect(acquired(shareFetch(cluster, 'm2', 0, [], { maxRecords: 2, shareAcquireMode: 0 }))).toEqual([
      '2-5#1',
    ]);
    // v1 has no acquire mode: batches, as Kafka 4.1 acquires them.
    const v1 = callNow(cluster, ShareFetch, 1, fetchBody('m3', 0, [], { maxRecords: 1 }));
    expect(acquired(v1)).toEqual([]);
    expect(v1?.acquisitionLockTimeoutMs).toBe(30000);
  });

  it('ShareFetch and ShareAcknowledge: accept, release (delivered again, count kept), reject, renew; only the holder may', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(() => {
      const cluster = clusterWith(4, { clock: scheduler, shareRecordLockDurationMs: 1000 });
      expect(acquired(shareFetch(cluster, 'm1', 0, [], { maxRecords: 4 }))).toEqual(['0-3#1']);
      // Not the holder: INVALID_RECORD_STATE, and nothing changes.
      shareFetch(cluster, 'm2', 0);
      expect(acknowledge(cluster, 'm2', 1, [ack(0, 0, 1)])?.responses[0].partitions[0].errorCode).toBe(
        ErrorCode.INVALID_RECORD_STATE,
      );
      // Accept 0, release 1, reject 2, renew 3 (renew needs isRenewAck).
      expect(acknowledge(cluster, 'm1', 1, [ack(3, 3, 4)])?.responses[0].partitions[0].errorCode).toBe(
        ErrorCode.INVALID_REQUEST,
      );
      // A partition's acknowledgement error does not end the session: its epoch moves on.
      scheduler.schedule(() => {
        expect(
          acknowledge(cluster, 'm1', 2, [ack(3, 3, 4)], true)?.responses[0].partitions[0].errorCode,
        ).toBe(0);
        const r = shareFetch(cluster, 'm1', 3, [ack(0, 0, 1), ack(1, 1, 2), ack(2, 2, 3)], {
          maxRecords: 10,
        });
        expect(r?.responses[0].partitions[0].acknowledgeErrorCode).toBe(0);
        expect(acquired(r)).toEqual(['1-1#2']);
      }, 500);
      // The lock of record 1 (taken again at 500) and of the renewed 3 hold until 1500, not 1000.
      const oneAndThreeAt = (at: number, state: 'Acquired' | 'Available') =>
        scheduler.schedule(() => {
          expect(cluster.groups.describeSharePartition('g', 't', 0)).toMatchObject({
            startOffset: 1n,
            records: [
              { offset: 1n, state, deliveryCount: 2 },
              { offset: 2n, state: 'Archived', deliveryCount: 1 },
              { offset: 3n, state, deliveryCount: 1 },
            ],
          });
        }, at);
      oneAndThreeAt(1000, 'Acquired');
      oneAndThreeAt(1501, 'Available');
    });
  });

  it('share sessions: epoch 0 opens (without acknowledgements), a wrong epoch or no session is refused, -1 ends and releases', () => {
    const cluster = clusterWith(2);
    expect(shareFetch(cluster, 'm1', 0, [ack(0, 0, 1)])?.errorCode).toBe(ErrorCode.INVALID_REQUEST);
    expect(shareFetch(cluster, 'm1', 1)?.errorCode).toBe(ErrorCode.SHARE_SESSION_NOT_FOUND);
    expect(acquired(shareFetch(cluster, 'm1', 0))).toEqual(['0-1#1']);
    expect(shareFetch(cluster, 'm1', 2)?.errorCode).toBe(ErrorCode.INVALID_SHARE_SESSION_EPOCH);
    expect(acknowledge(cluster, 'm1', 0, [ack(0, 0, 1)])?.errorCode).toBe(
      ErrorCode.INVALID_SHARE_SESSION_EPOCH,
    );
    expect(shareFetch(cluster, 'm1', 1)?.errorCode).toBe(0);
    // The final acknowledgement accepts 0; 1, still held, goes back to the group.
    expect(acknowledge(cluster, 'm1', -1, [ack(0, 0, 1)])?.responses[0].partitions[0].errorCode).toBe(0);
    expect(acknowledge(cluster, 'm1', 2, [])?.errorCode).toBe(ErrorCode.SHARE_SESSION_NOT_FOUND);
    expect(acquired(shareFetch(cluster, 'm2', 0))).toEqual(['1-1#2']);
  });

  it('ShareFetch and ShareAcknowledge refuse alike: UNSUPPORTED_VERSION with share groups disabled, INVALID_REQUEST without a member id', () => {
    const disabled = clusterWith(1, { groupProtocols: ['classic', 'consumer'] });
    for (const response of [shareFetch(disabled, 'm1', 0), acknowledge(disabled, 'm1', 1, [])]) {
      expect(response?.errorCode).toBe(ErrorCode.UNSUPPORTED_VERSION);
      expect(response?.errorMessage).toBe('Share groups are disabled.');
    }
    const cluster = clusterWith(1);
    for (const response of [shareFetch(cluster, '', 0), acknowledge(cluster, '', 1, [])]) {
      expect(response?.errorCode).toBe(ErrorCode.INVALID_REQUEST);
      expect(response?.errorMessage).toBe('GroupId and MemberId must be set.');
    }
  });

  it('ShareFetch waits up to maxWaitMs for records: a produce or a release answers it at once', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    const answers: string[] = [];
    scheduler.run(() => {
      const cluster = createFakeCluster({ topics: { t: 1 }, clock: scheduler });
      // The group starts at the log end (share.auto.offset.reset latest, Kafka's default).
      cluster.append('t', 0, [{ value: 'old' }]);
      const waiting = (memberId: string, epoch: number, maxWaitMs: number, at: number, acks: Ack[] = []) =>
        scheduler.schedule(
          () =>
            call(cluster, ShareFetch, 2, fetchBody(memberId, epoch, acks, { maxWaitMs })).subscribe((r) =>
              answers.push(`${memberId}@${scheduler.now()}: ${acquired(r).join(',')}`),
            ),
          at,
        );
      waiting('m1', 0, 1000, 0);
      waiting('m2', 0, 5000, 1200);
      scheduler.schedule(() => cluster.append('t', 0, [{ value: 'new' }]), 1500);
      waiting('m3', 0, 5000, 1600);
      // m2 releases offset 1: m3, waiting, takes it at once (before m2's own answer, which finds nothing left).
      waiting('m2', 1, 0, 2000, [ack(1, 1, 2)]);
    });
    expect(answers).toEqual(['m1@1000: ', 'm2@1500: 1-1#1', 'm3@2000: 1-1#2', 'm2@2000: ']);
  });

  it('share.auto.offset.reset and share.record.lock.duration.ms are group configs (IncrementalAlterConfigs, GROUP)', () => {
    const cluster = createFakeCluster({ topics: { t: 1 } });
    cluster.append('t', 0, [{ value: 'before' }]);
    const alter = (name: string, value: string) =>
      callNow(cluster, IncrementalAlterConfigs, 1, {
        resources: [{ resourceType: 32, resourceName: 'g', configs: [{ name, configOperation: 0, value }] }],
        validateOnly: false,
      })?.responses[0];
    expect(alter('share.auto.offset.reset', 'earliest')).toMatchObject({ errorCode: 0 });
    expect(alter('share.record.lock.duration.ms', '15000')).toMatchObject({ errorCode: 0 });
    expect(alter('share.record.lock.duration.ms', '1000')).toMatchObject({
      errorCode: ErrorCode.INVALID_CONFIG,
    });
    expect(alter('share.auto.offset.reset', 'none')).toMatchObject({ errorCode: ErrorCode.INVALID_CONFIG });
    expect(alter('no.such.config', '1')).toMatchObject({ errorCode: ErrorCode.INVALID_CONFIG });
    const r = shareFetch(cluster, 'm1', 0);
    expect(acquired(r)).toEqual(['0-0#1']);
    expect(r?.acquisitionLockTimeoutMs).toBe(15000);
  });

  it('setting a group config to null deletes it, as a null config record does in Kafka', () => {
    const lockOf = (set: Array<string | null>) => {
      const cluster = createFakeCluster({ topics: { t: 1 } });
      cluster.append('t', 0, [{ value: 'before' }]);
      const alter = (name: string, value: string | null) =>
        callNow(cluster, IncrementalAlterConfigs, 1, {
          resources: [
            { resourceType: 32, resourceName: 'g', configs: [{ name, configOperation: 0, value }] },
          ],
          validateOnly: false,
        })?.responses[0];
      expect(alter('share.auto.offset.reset', 'earliest')).toMatchObject({ errorCode: 0 });
      for (const value of set)
        expect(alter('share.record.lock.duration.ms', value)).toMatchObject({ errorCode: 0 });
      return shareFetch(cluster, 'm1', 0)?.acquisitionLockTimeoutMs;
    };
    const byDefault = lockOf([]);
    expect(byDefault).not.toBe(15000);
    expect(lockOf(['15000'])).toBe(15000);
    expect(lockOf(['15000', null])).toBe(byDefault);
  });

  it("leaves the share APIs out of ApiVersions without 'share' in groupProtocols", () => {
    const keys = (cluster: FakeCluster) =>
      callNow(cluster, ApiVersions, 3, { clientSoftwareName: 'x', clientSoftwareVersion: '1' })?.apiKeys.map(
        (k: { apiKey: number }) => k.apiKey,
      );
    const shareKeys = [ShareGroupHeartbeat.apiKey, ShareFetch.apiKey, ShareAcknowledge.apiKey];
    expect(keys(createFakeCluster())).toEqual(expect.arrayContaining(shareKeys));
    const without = keys(createFakeCluster({ groupProtocols: ['classic', 'consumer'] }));
    expect(shareKeys.filter((k) => without.includes(k))).toEqual([]);
  });
});
