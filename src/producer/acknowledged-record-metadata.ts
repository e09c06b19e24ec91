import type { RecordMetadata } from './producer-record';

/**
 * RecordMetadata as the producer hands it out: a class, so that `JSON.stringify` (which throws on
 * a bigint) gets the offset as a decimal string from one `toJSON` on the prototype.
 */
export class AcknowledgedRecordMetadata implements RecordMetadata {
  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly offset: bigint,
    readonly timestamp: number,
  ) {}

  toJSON(): { topic: string; partition: number; offset: string; timestamp: number } {
    return {
      topic: this.topic,
      partition: this.partition,
      offset: this.offset.toString(),
      timestamp: this.timestamp,
    };
  }
}
