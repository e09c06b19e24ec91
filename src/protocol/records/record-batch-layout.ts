/**
 * Byte offsets of the record batch v2 header (Kafka's DefaultRecordBatch), from the start
 * of the batch. The CRC covers ATTRIBUTES to the end of the batch.
 */
export const BASE_OFFSET = 0;
export const BATCH_LENGTH = 8;
/** baseOffset + batchLength: the bytes before what batchLength counts. */
export const LOG_OVERHEAD = 12;
export const PARTITION_LEADER_EPOCH = 12;
export const MAGIC = 16;
export const CRC = 17;
export const ATTRIBUTES = 21;
export const LAST_OFFSET_DELTA = 23;
export const BASE_TIMESTAMP = 27;
export const MAX_TIMESTAMP = 35;
export const PRODUCER_ID = 43;
export const PRODUCER_EPOCH = 51;
export const BASE_SEQUENCE = 53;
export const RECORDS_COUNT = 57;
/** Size of the header; the records follow. */
export const RECORD_BATCH_OVERHEAD = 61;

/** The record batch format version. */
export const CURRENT_MAGIC = 2;

/** Attribute bits. */
export const COMPRESSION_CODEC_MASK = 0x07;
export const TIMESTAMP_TYPE_LOG_APPEND_TIME = 0x08;
export const TRANSACTIONAL_FLAG = 0x10;
export const CONTROL_FLAG = 0x20;

/** producerId of a batch written without idempotence or transactions. */
export const NO_PRODUCER_ID = -1n;
