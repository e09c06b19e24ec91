import type { ConsumerRecord } from './types';

const text = (bytes: Buffer | null): string | null => (bytes === null ? null : bytes.toString('utf8'));

/**
 * A ConsumerRecord as the consumer makes them: a class, so that `toJSON` lives once on the
 * prototype rather than as a closure per record (records are made on the hot path).
 */
export class FetchedConsumerRecord implements ConsumerRecord {
  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly offset: bigint,
    readonly timestamp: number,
    readonly key: Buffer | null,
    readonly value: Buffer | null,
    readonly headers: Array<[string, Buffer | null]>,
    readonly ack: () => void,
  ) {}

  /**
   * What `JSON.stringify(record)` writes (a bigint would make it throw): the offset as a decimal
   * string, key, value and header values as UTF-8 strings (null when absent), as
   * `kafka-rx consume --json` prints them. Binary keys or values need a format of your own
   * (e.g. `record.value.toString('base64')`).
   */
  toJSON(): {
    topic: string;
    partition: number;
    offset: string;
    timestamp: number;
    key: string | null;
    value: string | null;
    headers: Array<[string, string | null]>;
  } {
    return {
      topic: this.topic,
      partition: this.partition,
      offset: this.offset.toString(),
      timestamp: this.timestamp,
      key: text(this.key),
      value: text(this.value),
      headers: this.headers.map(([name, value]) => [name, text(value)]),
    };
  }
}
