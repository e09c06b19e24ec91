import { ErrorCode } from '../../../src/protocol/errors';
import { encodeRecordBatch } from '../../../src/protocol/records';
import { Produce } from '../../../src/protocol/specs';
import { createFakeCluster } from '../../../src/testing';
import { callNow } from '../../support/fake-request';

function batch(
  values: string[],
  options: { producerId?: bigint; producerEpoch?: number; baseSequence?: number } = {},
): Buffer {
  return encodeRecordBatch(
    values.map((v, i) => ({ value: Buffer.from(v), timestamp: 1000 + i })),
    options,
  );
}

function produce(
  cluster: ReturnType<typeof createFakeCluster>,
  records: Buffer,
  opts: { acks?: number; broker?: number; version?: number } = {},
) {
  const response = callNow(
    cluster,
    Produce,
    opts.version ?? 9,
    {
      transactionalId: null,
      acks: opts.acks ?? -1,
      timeoutMs: 1000,
      topicData: [{ name: 't', partitionData: [{ index: 0, records }] }],
    },
    opts.broker ?? 0,
  );
  return response?.responses[0].partitionResponses[0];
}

describe('Produce handler', () => {
  it('appends batches at the log end and answers their base offset', () => {
    const cluster = createFakeCluster({ topics: { t: 1 } });
    expect(produce(cluster, batch(['a', 'b', 'c']))).toMatchObject({ errorCode: 0, baseOffset: 0n });
    expect(produce(cluster, batch(['d']), { version: 3 })).toMatchObject({ errorCode: 0, baseOffset: 3n });
    expect(cluster.records('t', 0).map((r) => [r.offset, r.value?.toString()])).toEqual([
      [0n, 'a'],
      [1n, 'b'],
      [2n, 'c'],
      [3n, 'd'],
    ]);
  });

  it('checks idempotent sequences per producer and partition', () => {
    const cluster = createFakeCluster({ topics: { t: 1 } });
    const pid = { producerId: 7n, producerEpoch: 0 };
    const first = batch(['a', 'b', 'c'], { ...pid, baseSequence: 0 });
    expect(produce(cluster, first)).toMatchObject({ errorCode: 0, baseOffset: 0n });
    // A retry of a remembered batch is acknowledged with its first offset and not appended again.
    expect(produce(cluster, first)).toMatchObject({ errorCode: 0, baseOffset: 0n });
    expect(produce(cluster, batch(['x'], { ...pid, baseSequence: 5 }))).toMatchObject({
      errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
      baseOffset: -1n,
    });
    for (let seq = 3; seq < 9; seq++) {
      expect(produce(cluster, batch([`v${seq}`], { ...pid, baseSequence: seq }))).toMatchObject({
        errorCode: 0,
      });
    }
    // Older than the five batches remembered.
    expect(produce(cluster, first).errorCode).toBe(ErrorCode.DUPLICATE_SEQUENCE_NUMBER);
    expect(
      produce(cluster, batch(['e1'], { producerId: 7n, producerEpoch: 1, baseSequence: 0 })).errorCode,
    ).toBe(0);
    expect(produce(cluster, batch(['old'], { ...pid, baseSequence: 9 })).errorCode).toBe(
      ErrorCode.INVALID_PRODUCER_EPOCH,
    );
    expect(
      produce(cluster, batch(['new'], { producerId: 8n, producerEpoch: 0, baseSequence: 4 })).errorCode,
    ).toBe(ErrorCode.UNKNOWN_PRODUCER_ID);
    expect(cluster.records('t', 0).map((r) => r.value?.toString())).toEqual([
      'a',
      'b',
      'c',
      'v3',
      'v4',
      'v5',
      'v6',
      'v7',
      'v8',
      'e1',
    ]);
  });

  it('refuses a batch with a bad CRC, and one sent to a broker that does not lead the partition', () => {
    const cluster = createFakeCluster({ brokers: 2, topics: { t: 1 } });
    const corrupt = Buffer.from(batch(['a']));
    corrupt[corrupt.length - 1] ^= 0xff;
    expect(produce(cluster, corrupt).errorCode).toBe(ErrorCode.CORRUPT_MESSAGE);
    const wrong = produce(cluster, batch(['a']), { broker: 1, version: 11 });
    expect(wrong).toMatchObject({
      errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER,
      currentLeader: { leaderId: 0, leaderEpoch: 0 },
    });
    cluster.moveLeader('t', 0, 1);
    expect(produce(cluster, batch(['a']), { broker: 1 }).errorCode).toBe(0);
    expect(cluster.records('t', 0)).toHaveLength(1);
  });

  it('sends nothing back for acks=0, and still appends', () => {
    const cluster = createFakeCluster({ topics: { t: 1 } });
    const response = callNow(cluster, Produce, 9, {
      transactionalId: null,
      acks: 0,
      timeoutMs: 1000,
      topicData: [{ name: 't', partitionData: [{ index: 0, records: batch(['a']) }] }],
    });
    expect(response).toBeUndefined();
    expect(cluster.records('t', 0)).toHaveLength(1);
  });

  it('answers UNKNOWN_TOPIC_OR_PARTITION for a topic that does not exist', () => {
    const cluster = createFakeCluster({ topics: { other: 1 } });
    expect(produce(cluster, batch(['a'])).errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  });
});
