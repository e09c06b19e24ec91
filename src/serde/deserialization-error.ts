import { KafkaRxError } from '../errors';
import type { RecordPart } from './deserializer';
import { partFailure } from './part-failure';

/**
 * A record's key, value or a header value that its deserializer refused. Carried by the record
 * (`record.error`), never thrown into the stream: the record's fields stay as fetched, and
 * `data` holds the bytes that failed.
 */
export class DeserializationError extends KafkaRxError {
  constructor(
    readonly part: RecordPart,
    /** The bytes the deserializer was given. */
    readonly data: Buffer,
    cause: unknown,
    /** The header's name, when `part` is `header`. */
    readonly header?: string,
  ) {
    const { what, reason } = partFailure(part, header, cause);
    super('DeserializationError', `the record's ${what} could not be deserialized: ${reason}`, { cause });
  }
}
