import { encodeBatch } from './record-batch-encoder';

/**
 * Control records: the transaction markers a transaction coordinator writes into each
 * partition (Kafka's ControlRecordType). Key: int16 version, int16 type; value (an
 * EndTransactionMarker): int16 version, int32 coordinatorEpoch.
 */
export type ControlRecordType = 'ABORT' | 'COMMIT';

const TYPE_IDS: Record<ControlRecordType, number> = { ABORT: 0, COMMIT: 1 };
const CONTROL_KEY_VERSION = 0;
const MARKER_VALUE_VERSION = 0;

/** The type of a control record from its key; 'UNKNOWN' for types this client does not know. */
export function readControlRecordType(key: Buffer | null): ControlRecordType | 'UNKNOWN' {
  if (key === null || key.length < 4) return 'UNKNOWN';
  switch (key.readInt16BE(2)) {
    case 0:
      return 'ABORT';
    case 1:
      return 'COMMIT';
    default:
      return 'UNKNOWN';
  }
}

/** A COMMIT or ABORT marker to write. */
export interface ControlBatchInput {
  type: ControlRecordType;
  producerId: bigint;
  producerEpoch: number;
  /** Offset of the marker in its partition. */
  baseOffset?: bigint;
  /** Milliseconds since the epoch. */
  timestamp: number;
  coordinatorEpoch?: number;
  partitionLeaderEpoch?: number;
}

/**
 * Encodes a control batch holding one transaction marker, as a broker writes it after
 * EndTxn/WriteTxnMarkers: transactional and control flags set, no compression.
 */
export function encodeControlBatch(marker: ControlBatchInput): Buffer {
  const key = Buffer.alloc(4);
  key.writeInt16BE(CONTROL_KEY_VERSION, 0);
  key.writeInt16BE(TYPE_IDS[marker.type], 2);
  const value = Buffer.alloc(6);
  value.writeInt16BE(MARKER_VALUE_VERSION, 0);
  value.writeInt32BE(marker.coordinatorEpoch ?? 0, 2);
  return encodeBatch(
    [{ key, value, timestamp: marker.timestamp }],
    {
      baseOffset: marker.baseOffset,
      producerId: marker.producerId,
      producerEpoch: marker.producerEpoch,
      baseSequence: -1,
      transactional: true,
      partitionLeaderEpoch: marker.partitionLeaderEpoch,
    },
    { control: true },
  );
}
