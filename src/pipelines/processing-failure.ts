import type { AnyConsumerRecord } from '../consumer/types';

/**
 * A record whose handler failed on every attempt (from `processWithRetries`): not acknowledged,
 * so commits stop before it until a stage such as `deadLetter` has dealt with it and acked it.
 */
export class ProcessingFailure<R extends AnyConsumerRecord = AnyConsumerRecord> {
  constructor(
    readonly record: R,
    /** The last attempt's error. */
    readonly error: unknown,
    readonly attempts: number,
  ) {}
}
