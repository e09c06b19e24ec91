/**
 * Record batches v2 (magic 2): decoding for the consumer, encoding for the producer and the
 * fake cluster, transaction markers, CRC-32C and the compression codecs.
 */
export {
  decodeRecords,
  type DecodedRecord,
  type DecodedRecords,
  type DecodeRecordsOptions,
} from './record-batch-decoder';
export { FetchedRecords, readRecordBatches, type RecordFactory } from './fetched-records';
export {
  encodeRecordBatch,
  type ProducerRecordInput,
  type RecordBatchOptions,
  type RecordHeader,
} from './record-batch-encoder';
export {
  encodeControlBatch,
  readControlRecordType,
  type ControlBatchInput,
  type ControlRecordType,
} from './control-record';
export { type AbortedTransaction } from './aborted-transactions';
export { compress, decompress, type Compression } from './compression';
export { crc32c } from './crc32c';
export { CorruptRecordError, UnsupportedMessageFormatError } from './errors';
