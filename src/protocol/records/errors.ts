import { KafkaRxError } from '../../errors';

/**
 * A record batch failed its checks: bad CRC-32C, a length that runs past the batch, a varint
 * too long, or compressed data that does not decompress. Not retriable: fetching the same
 * bytes again gives the same result.
 */
export class CorruptRecordError extends KafkaRxError {
  /** Base offset of the batch that failed, when known. */
  readonly baseOffset: bigint | undefined;

  constructor(message: string, options: { baseOffset?: bigint; cause?: unknown } = {}) {
    const where = options.baseOffset === undefined ? '' : ` (batch at offset ${options.baseOffset})`;
    super('CorruptRecordError', `${message}${where}`, { cause: options.cause });
    this.baseOffset = options.baseOffset;
  }
}

/**
 * The broker sent message format v0 or v1 (magic 0 or 1), which predates record batches.
 * kafka-rx reads only record batches (magic 2, Kafka 0.11 and later).
 */
export class UnsupportedMessageFormatError extends KafkaRxError {
  readonly magic: number;

  constructor(magic: number, baseOffset: bigint) {
    super(
      'UnsupportedMessageFormatError',
      `message format v${magic} (magic ${magic}) at offset ${baseOffset} is not supported: ` +
        "kafka-rx reads record batches (magic 2, Kafka 0.11+); set the topic's message.format.version to 0.11 or later",
    );
    this.magic = magic;
  }
}
