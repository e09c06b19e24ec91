import { of } from 'rxjs';
import { ErrorCode } from '../../protocol/errors';
import { decodeRecords } from '../../protocol/records';
import { ListOffsets } from '../../protocol/specs';
import type { ResponseBodyOf } from '../../protocol/spec-types';
import type { PartitionLog } from '../broker-state/partition-log';
import type { ApiHandler } from './handler';
import { partitionAccessError } from './partition-access';

/** Kafka's special timestamps in ListOffsets. */
const LATEST = -1n;
const EARLIEST = -2n;
const MAX_TIMESTAMP = -3n;
const EARLIEST_LOCAL = -4n;

interface Found {
  readonly offset: bigint;
  readonly timestamp: bigint;
}

const NOT_FOUND: Found = { offset: -1n, timestamp: -1n };

/** The first record whose timestamp is at or after `target`, reading only batches that may hold it. */
function offsetForTimestamp(log: PartitionLog, target: bigint): Found {
  for (const batch of log.batchesFrom(log.logStartOffset)) {
    if (batch.maxTimestamp < target) continue;
    const record = decodeRecords(batch.bytes).records.find((r) => BigInt(r.timestamp) >= target);
    if (record !== undefined) return { offset: record.offset, timestamp: BigInt(record.timestamp) };
  }
  return NOT_FOUND;
}

/** The (first) record with the largest timestamp. */
function offsetOfMaxTimestamp(log: PartitionLog): Found {
  let best: Found = NOT_FOUND;
  for (const batch of log.batchesFrom(log.logStartOffset)) {
    if (batch.maxTimestamp <= best.timestamp) continue;
    for (const r of decodeRecords(batch.bytes).records) {
      if (BigInt(r.timestamp) > best.timestamp) best = { offset: r.offset, timestamp: BigInt(r.timestamp) };
    }
  }
  return best;
}

function lookup(log: PartitionLog, timestamp: bigint, readCommitted: boolean): Found {
  switch (timestamp) {
    case LATEST:
      // read_committed ends where the first open transaction starts.
      return { offset: readCommitted ? log.lastStableOffset : log.highWatermark, timestamp: -1n };
    case EARLIEST:
    case EARLIEST_LOCAL:
      return { offset: log.logStartOffset, timestamp: -1n };
    case MAX_TIMESTAMP:
      return offsetOfMaxTimestamp(log);
    default:
      return timestamp >= 0n ? offsetForTimestamp(log, timestamp) : NOT_FOUND;
  }
}

function partitionResponse(
  partitionIndex: number,
  errorCode: number,
  found: Found,
  leaderEpoch: number,
): ResponseBodyOf<typeof ListOffsets>['topics'][number]['partitions'][number] {
  return {
    partitionIndex,
    errorCode,
    timestamp: found.timestamp,
    offset: found.offset,
    leaderEpoch,
  };
}

/** ListOffsets (key 2): earliest (-2), latest (-1), max timestamp (-3), or the first offset at a timestamp. */
export const listOffsetsHandler: ApiHandler<typeof ListOffsets> = {
  api: ListOffsets,
  handle(request, cluster) {
    const topics = request.body.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => {
        const partition = cluster.partition(t.name, p.partitionIndex);
        const errorCode = partitionAccessError(partition, request.nodeId, p.currentLeaderEpoch ?? -1);
        if (errorCode !== ErrorCode.NONE || partition === undefined) {
          return partitionResponse(p.partitionIndex, errorCode, NOT_FOUND, -1);
        }
        return partitionResponse(
          p.partitionIndex,
          ErrorCode.NONE,
          lookup(partition.log, p.timestamp, request.version >= 2 && request.body.isolationLevel === 1),
          partition.leaderEpoch,
        );
      }),
    }));
    return of({ throttleTimeMs: 0, topics });
  },
  errorResponse(request, errorCode) {
    return {
      throttleTimeMs: 0,
      topics: request.body.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => partitionResponse(p.partitionIndex, errorCode, NOT_FOUND, -1)),
      })),
    };
  },
};
