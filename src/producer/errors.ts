import { ConfigError } from '../config/config-error';
import { KafkaRxError } from '../errors';
import { errorCodeEntry, KafkaProtocolError, protocolError } from '../protocol/errors';

/**
 * `send`, `flush` or a transaction call on a producer that is closing or closed; or a record still
 * pending when `close()` gave up waiting for it (after `closeTimeoutMs`).
 */
export class ProducerClosedError extends KafkaRxError {
  constructor(message = 'the producer is closed: no more records can be sent') {
    super('ProducerClosedError', message);
  }
}

/**
 * A record (or a batch, when the broker said MESSAGE_TOO_LARGE) bigger than the producer's
 * `maxRequestSize` or the broker's `message.max.bytes`. Not retriable.
 */
export class RecordTooLargeError extends KafkaRxError {
  constructor(message: string, code?: number) {
    super('RecordTooLargeError', message, { code });
  }
}

/** Records not acknowledged within `deliveryTimeoutMs` of their send. Retriable: sending them again may work. */
export class DeliveryTimeoutError extends KafkaRxError {
  constructor(message: string) {
    super('DeliveryTimeoutError', message, { retriable: true });
  }
}

/**
 * A send that waited longer than `maxBlockMs` for room in `bufferMemory` (the records not yet
 * acknowledged hold it all): the brokers take records more slowly than they are sent. Retriable:
 * room is freed as batches are acknowledged. Records of the send placed before it failed may
 * still be written.
 */
export class BufferExhaustedError extends KafkaRxError {
  constructor(message: string) {
    super('BufferExhaustedError', message, { retriable: true });
  }
}

/** A record the producer cannot place: a partition out of range, or a value that is not bytes. */
export class InvalidRecordError extends KafkaRxError {
  constructor(message: string) {
    super('InvalidRecordError', message);
  }
}

/**
 * @deprecated The producer's option errors are `ConfigError`s, as the consumer's and the
 * transport's; this is the same class under its old name.
 */
export const ProducerConfigError = ConfigError;
export type ProducerConfigError = ConfigError;

/**
 * A broker's error code for a topic or partition, as a `KafkaProtocolError` named by Kafka
 * (e.g. `UNKNOWN_TOPIC_OR_PARTITION`) whose message says where it happened.
 */
export function brokerError(code: number, where: string, detail?: string | null): KafkaProtocolError {
  const error = protocolError(code) ?? protocolError(-1)!;
  const entry = errorCodeEntry(code);
  const about = detail ? `${error.message} ${detail}` : error.message;
  return new KafkaProtocolError({
    code,
    name: error.name,
    message: `${where}: ${about}`,
    retriable: error.retriable,
    invalidMetadata: entry?.invalidMetadata ?? false,
  });
}
