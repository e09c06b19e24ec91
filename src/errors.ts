/**
 * Every error kafka-rx raises is a `KafkaRxError`: a value with a `name`, an optional Kafka
 * error `code`, and whether retrying may help (`retriable`).
 */
export class KafkaRxError extends Error {
  /** The Kafka error code, when the error came from a broker. */
  readonly code: number | undefined;
  readonly retriable: boolean;

  constructor(
    name: string,
    message: string,
    options: { code?: number; retriable?: boolean; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = name;
    this.code = options.code;
    this.retriable = options.retriable ?? false;
  }
}
