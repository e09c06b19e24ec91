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

/** A record the producer cannot place: a partition out of range, or a value that is not bytes. */
export class InvalidRecordError extends KafkaRxError {
  constructor(message: string) {
    super('InvalidRecordError', message);
  }
}

/** A producer option out of range or in conflict with another (e.g. idempotence with acks=1). */
export class ProducerConfigError extends KafkaRxError {
  constructor(message: string) {
    super('ProducerConfigError', message);
  }
}

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
