/** The names of the headers a dead-letter record carries, besides the record's own. */
export const deadLetterHeaders = {
  /** `deserialization` or `processing`. */
  reason: 'kafka-rx.dlt.reason',
  /** The error's name and message. */
  error: 'kafka-rx.dlt.error',
  /** For a deserialization failure: `key`, `value` or `header`. */
  part: 'kafka-rx.dlt.part',
  topic: 'kafka-rx.dlt.topic',
  partition: 'kafka-rx.dlt.partition',
  offset: 'kafka-rx.dlt.offset',
  /** How many times the handler ran (0 for a record that did not deserialize). */
  attempts: 'kafka-rx.dlt.attempts',
} as const;
