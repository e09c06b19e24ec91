import { KafkaRxError } from '../errors';

/**
 * A bad option given to `createConsumer`, `createProducer`, `createTcpTransport` or
 * `createCluster`: an unknown name, a value of the wrong type or out of range, or options in
 * conflict. Raised at once, by the call that was given it; never retriable.
 */
export class ConfigError extends KafkaRxError {
  constructor(message: string) {
    super('ConfigError', message);
  }
}
