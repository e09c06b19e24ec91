import { ErrorCode } from '../../../src/protocol/errors';
import {
  crc32c,
  decodeRecords,
  encodeRecordBatch,
  readControlRecordType,
} from '../../../src/protocol/records';
import {
  AddOffsetsToTxn,
  AddPartitionsToTxn,
  EndTxn,
  Fetch,
  InitProducerId,
  ListOffsets,
  Produce,
  TxnOffsetCommit,
} from '../../../src/protocol/specs';
import type { Message } from '../../../src/protocol/spec';
import { createFakeCluster, type FakeCluster } from '../../../src/testing';
import { virtualClock } from '../../support/virtual-time';
import { callNow } from '../../support/fake-request';
import { fetchRequestBody } from '../../support/fetch-request';
import * as L from '../../../src/protocol/records/record-batch-layout';

// Broker-side transactions, driven request by request as a transactional producer sends them
// (AddPartitionsToTxn v3: the client form), and read back with Fetch as a consumer reads them.

interface Producer {
  readonly producerId: bigint;
  readonly producerEpoch: number;
  sequence: number;
}

function initProducerId(cluster: FakeCluster, transactionalId: string, expected?: Producer): Message {
  return callNow(cluster, InitProducerId, 4, {
    transactionalId,
    transactionTimeoutMs: 60000,
    producerId: expected?.producerId ?? -1n,
    producerEpoch: expected?.producerEpoch ?? -1,
  })!;
}

function init(cluster: FakeCluster, transactionalId = 'tx'): Producer {
  const r = initProducerId(cluster, transactionalId);
  expect(r.errorCode).toBe(ErrorCode.NONE);
  return { producerId: r.producerId, producerEpoch: r.producerEpoch, sequence: 0 };
}

function addPartitions(cluster: FakeCluster, p: Producer, partitions: number[], id = 'tx'): number[] {
  const r = callNow(cluster, AddPartitionsToTxn, 3, {
    v3AndBelowTransactionalId: id,
    v3AndBelowProducerId: p.producerId,
    v3AndBelowProducerEpoch: p.producerEpoch,
    v3AndBelowTopics: [{ name: 't', partitions }],
  })!;
  return (r.resultsByTopicV3AndBelow[0].resultsByPartition as Message[]).map((x) => x.partitionErrorCode);
}

function produce(cluster: FakeCluster, p: Producer, values: string[], partition = 0): Message {
  const records = encodeRecordBatch(
    values.map((v) => ({ value: Buffer.from(v), timestamp: 1000 })),
    {
      producerId: p.producerId,
      producerEpoch: p.producerEpoch,
      baseSequence: p.sequence,
      transactional: true,
    },
  );
  const r = callNow(cluster, Produce, 9, {
    transactionalId: 'tx',
    acks: -1,
    timeoutMs: 1000,
    topicData: [{ name: 't', partitionData: [{ index: partition, records }] }],
  })!;
  const result = r.responses[0].partitionResponses[0];
  if (result.errorCode === ErrorCode.NONE) p.sequence += values.length;
  return result;
}

function endTxn(cluster: FakeCluster, p: Producer, committed: boolean): number {
  return callNow(cluster, EndTxn, 3, { transactionalId: 'tx', ...identity(p), committed })!.errorCode;
}

function identity(p: Producer) {
  return { producerId: p.producerId, producerEpoch: p.producerEpoch };
}

function fetch(cluster: FakeCluster, isolationLevel: 0 | 1, fetchOffset = 0n): Message {
  const r = callNow(cluster, Fetch, 12, fetchRequestBody({ fetchOffset, isolationLevel }))!;
  return r.responses[0].partitions[0];
}

/** The values a consumer at this isolation level gets, read as Kafka's consumer filters them. */
function consumed(cluster: FakeCluster, isolationLevel: 0 | 1): string[] {
  const p = fetch(cluster, isolationLevel);
  return decodeRecords(p.records, {
    isolationLevel: isolationLevel === 1 ? 'read_committed' : 'read_uncommitted',
    abortedTransactions: p.abortedTransactions ?? [],
  }).records.map((r) => r.value!.toString());
}

/** Every batch in the log as `offset:value`, markers as `offset:COMMIT` / `offset:ABORT`. */
function logOf(cluster: FakeCluster): string[] {
  const p = fetch(cluster, 0);
  const out: string[] = [];
  let pos = 0;
  const data: Buffer = p.records;
  while (pos < data.length) {
    const size = L.LOG_OVERHEAD + data.readInt32BE(pos + L.BATCH_LENGTH);
    const batch = data.subarray(pos, pos + size);
    const base = batch.readBigInt64BE(L.BASE_OFFSET);
    const control = (batch.readInt16BE(L.ATTRIBUTES) & L.CONTROL_FLAG) !== 0;
    if (control) {
      // The one control record's key: version 0, then the type (0 abort, 1 commit).
      const raw = decodeRecords(rewriteAsData(batch)).records[0];
      expect(raw.key!.readInt16BE(0)).toBe(0);
      out.push(`${base}:${readControlRecordType(raw.key)}`);
    } else {
      for (const r of decodeRecords(batch).records) out.push(`${r.offset}:${r.value!.toString()}`);
    }
    pos += size;
  }
  return out;
}

/** A copy of a control batch without its control flag (CRC recomputed), so the decoder hands its record over. */
function rewriteAsData(batch: Buffer): Buffer {
  const copy = Buffer.from(batch);
  copy.writeInt16BE(copy.readInt16BE(L.ATTRIBUTES) & ~L.CONTROL_FLAG, L.ATTRIBUTES);
  copy.writeUInt32BE(crc32c(copy, L.ATTRIBUTES), L.CRC);
  return copy;
}

describe('transactions in the fake cluster', () => {
  let cluster: FakeCluster;
  beforeEach(() => {
    cluster = createFakeCluster({ topics: { t: 2, in: 1 } });
  });
  afterEach(() => cluster.close());

  it('keeps an open transaction above the last stable offset, then commits it with a COMMIT marker', () => {
    cluster.append('t', 0, [{ value: 'plain' }]);
    const p = init(cluster);
    expect(addPartitions(cluster, p, [0])).toEqual([ErrorCode.NONE]);
    expect(produce(cluster, p, ['a', 'b'])).toMatchObject({ errorCode: ErrorCode.NONE, baseOffset: 1n });

    const open = fetch(cluster, 1);
    expect([open.highWatermark, open.lastStableOffset]).toEqual([3n, 1n]);
    expect(consumed(cluster, 1)).toEqual(['plain']);
    expect(consumed(cluster, 0)).toEqual(['plain', 'a', 'b']);
    expect(cluster.offsets('t', 0)).toMatchObject({ highWatermark: 3n, lastStableOffset: 1n });

    expect(endTxn(cluster, p, true)).toBe(ErrorCode.NONE);
    const done = fetch(cluster, 1);
    expect([done.highWatermark, done.lastStableOffset, done.abortedTransactions]).toEqual([4n, 4n, []]);
    expect(logOf(cluster)).toEqual(['0:plain', '1:a', '2:b', '3:COMMIT']);
    expect(consumed(cluster, 1)).toEqual(['plain', 'a', 'b']);
    // A retried EndTxn with the same outcome is answered again; the opposite one is refused.
    expect(endTxn(cluster, p, true)).toBe(ErrorCode.NONE);
    expect(endTxn(cluster, p, false)).toBe(ErrorCode.INVALID_TXN_STATE);
  });

  it('reports an aborted transaction in abortedTransactions at read_committed, and only there', () => {
    const p = init(cluster);
    addPartitions(cluster, p, [0]);
    produce(cluster, p, ['x', 'y']);
    expect(endTxn(cluster, p, false)).toBe(ErrorCode.NONE);
    addPartitions(cluster, p, [0]);
    produce(cluster, p, ['z']);
    expect(endTxn(cluster, p, true)).toBe(ErrorCode.NONE);

    expect(logOf(cluster)).toEqual(['0:x', '1:y', '2:ABORT', '3:z', '4:COMMIT']);
    expect(fetch(cluster, 1).abortedTransactions).toEqual([{ producerId: p.producerId, firstOffset: 0n }]);
    expect(fetch(cluster, 0).abortedTransactions).toBeNull();
    // A fetch from after the aborted range does not report it.
    expect(fetch(cluster, 1, 3n).abortedTransactions).toEqual([]);
    expect(consumed(cluster, 1)).toEqual(['z']);
    expect(consumed(cluster, 0)).toEqual(['x', 'y', 'z']);
  });

  it('writes a marker into every added partition, even one nothing was written to', () => {
    const p = init(cluster);
    addPartitions(cluster, p, [0, 1]);
    produce(cluster, p, ['a']);
    endTxn(cluster, p, true);
    expect(cluster.offsets('t', 1)).toMatchObject({ highWatermark: 1n, lastStableOffset: 1n });
    expect(fetch(cluster, 1).abortedTransactions).toEqual([]);
  });

  it('answers ListOffsets latest at read_committed with the last stable offset', () => {
    const p = init(cluster);
    cluster.append('t', 0, [{ value: 'plain' }]);
    addPartitions(cluster, p, [0]);
    produce(cluster, p, ['a']);
    const latest = (isolationLevel: number) =>
      callNow(cluster, ListOffsets, 7, {
        replicaId: -1,
        isolationLevel,
        topics: [{ name: 't', partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp: -1n }] }],
      })!.topics[0].partitions[0].offset;
    expect([latest(0), latest(1)]).toEqual([2n, 1n]);
  });

  it('fences the older producer of a transactional id, and aborts what it left open', () => {
    const old = init(cluster);
    addPartitions(cluster, old, [0]);
    produce(cluster, old, ['left open']);
    const current = init(cluster);
    expect(current).toMatchObject({ producerId: old.producerId, producerEpoch: old.producerEpoch + 1 });

    // The open transaction was aborted under the new epoch: the log is stable again.
    expect(logOf(cluster)).toEqual(['0:left open', '1:ABORT']);
    expect(cluster.offsets('t', 0).lastStableOffset).toBe(2n);
    expect(fetch(cluster, 1).abortedTransactions).toEqual([{ producerId: old.producerId, firstOffset: 0n }]);

    // The coordinator's answer to the old epoch is PRODUCER_FENCED, the partition's INVALID_PRODUCER_EPOCH.
    expect(addPartitions(cluster, old, [0])).toEqual([ErrorCode.PRODUCER_FENCED]);
    expect(endTxn(cluster, old, true)).toBe(ErrorCode.PRODUCER_FENCED);
    expect(produce(cluster, old, ['late'])).toMatchObject({ errorCode: ErrorCode.INVALID_PRODUCER_EPOCH });
    // KIP-360: naming an epoch that is no longer current is fenced too.
    expect(initProducerId(cluster, 'tx', old).errorCode).toBe(ErrorCode.PRODUCER_FENCED);

    // The new producer starts its sequence at 0 again.
    current.sequence = 0;
    expect(addPartitions(cluster, current, [0])).toEqual([ErrorCode.NONE]);
    expect(produce(cluster, current, ['new'])).toMatchObject({ errorCode: ErrorCode.NONE, baseOffset: 2n });
  });

  it('refuses a transactional batch for a partition the transaction did not add, and a producer id from another transactional id', () => {
    const p = init(cluster);
    addPartitions(cluster, p, [1]);
    expect(produce(cluster, p, ['a'], 0)).toMatchObject({ errorCode: ErrorCode.INVALID_TXN_STATE });
    expect(addPartitions(cluster, p, [0, 9])).toEqual([
      ErrorCode.OPERATION_NOT_ATTEMPTED,
      ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
    ]);
    // EndTxn for 'tx' with another transactional id's producer id.
    expect(endTxn(cluster, init(cluster, 'other'), true)).toBe(ErrorCode.INVALID_PRODUCER_ID_MAPPING);
  });

  it('stores transactional offsets on commit and drops them on abort', () => {
    const txnOffsetCommit = (p: Producer, offset: bigint) =>
      callNow(cluster, TxnOffsetCommit, 3, {
        transactionalId: 'tx',
        groupId: 'g',
        ...identity(p),
        generationId: -1,
        memberId: '',
        groupInstanceId: null,
        topics: [
          {
            name: 'in',
            partitions: [
              { partitionIndex: 0, committedOffset: offset, committedLeaderEpoch: -1, committedMetadata: '' },
            ],
          },
        ],
      })!.topics[0].partitions[0].errorCode;
    const addOffsets = (p: Producer) =>
      callNow(cluster, AddOffsetsToTxn, 3, { transactionalId: 'tx', ...identity(p), groupId: 'g' })!
        .errorCode;
    const committed = () => cluster.committedOffsets('g').map((c) => c.offset);

    const p = init(cluster);
    // Offsets need AddOffsetsToTxn first.
    expect(txnOffsetCommit(p, 5n)).toBe(ErrorCode.INVALID_TXN_STATE);
    expect(addOffsets(p)).toBe(ErrorCode.NONE);
    expect(txnOffsetCommit(p, 5n)).toBe(ErrorCode.NONE);
    expect(committed()).toEqual([]);
    expect(endTxn(cluster, p, true)).toBe(ErrorCode.NONE);
    expect(committed()).toEqual([5n]);

    addOffsets(p);
    txnOffsetCommit(p, 9n);
    expect(endTxn(cluster, p, false)).toBe(ErrorCode.NONE);
    expect(committed()).toEqual([5n]);

    addOffsets(p);
    const fenced = { ...p };
    init(cluster);
    expect(txnOffsetCommit(fenced, 9n)).toBe(ErrorCode.INVALID_PRODUCER_EPOCH);
    expect(committed()).toEqual([5n]);
  });

  it('aborts a transaction left open past its transactionTimeoutMs, under a bumped epoch that fences its producer', () => {
    const clock = virtualClock();
    const timed = createFakeCluster({ topics: { t: 1 }, clock });
    try {
      // A transaction that ends in time leaves no timer behind.
      const p = init(timed);
      addPartitions(timed, p, [0]);
      produce(timed, p, ['in time']);
      clock.advanceTo(1000);
      expect(endTxn(timed, p, true)).toBe(ErrorCode.NONE);
      clock.advanceTo(50000);
      addPartitions(timed, p, [0]);
      produce(timed, p, ['left open']);

      // The producer asked for 60 s (see initProducerId).
      clock.advanceTo(50000 + 59999);
      expect(timed.offsets('t', 0)).toMatchObject({ highWatermark: 3n, lastStableOffset: 2n });
      clock.advanceTo(50000 + 60000);
      expect(timed.offsets('t', 0)).toMatchObject({ highWatermark: 4n, lastStableOffset: 4n });
      expect(logOf(timed)).toEqual(['0:in time', '1:COMMIT', '2:left open', '3:ABORT']);
      expect(fetch(timed, 1).abortedTransactions).toEqual([{ producerId: p.producerId, firstOffset: 2n }]);
      expect(endTxn(timed, p, true)).toBe(ErrorCode.PRODUCER_FENCED);
      expect(produce(timed, p, ['late'])).toMatchObject({ errorCode: ErrorCode.INVALID_PRODUCER_EPOCH });
      clock.advanceTo(500000);
      expect(timed.offsets('t', 0).highWatermark).toBe(4n);
    } finally {
      void timed.close();
    }
  });
});
