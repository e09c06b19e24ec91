import { KafkaRxError } from '../errors';

/** An admin call still unfinished (retries included) at its deadline (`apiTimeoutMs` or the call's `timeoutMs`). Retriable. */
export class TimeoutError extends KafkaRxError {
  constructor(message: string) {
    super('TimeoutError', message, { retriable: true });
  }
}
