import { KafkaRxError } from '../errors';
import type { RecordPart } from './deserializer';
import { partFailure } from './part-failure';

/** A serializer threw for a record's key, value or a header value: the send is refused whole. */
export class SerializationError extends KafkaRxError {
  constructor(
    readonly part: RecordPart,
    readonly topic: string,
    cause: unknown,
    readonly header?: string,
  ) {
    const { what, reason } = partFailure(part, header, cause);
    super('SerializationError', `a record's ${what} for "${topic}" could not be serialized: ${reason}`, {
      cause,
    });
  }
}
