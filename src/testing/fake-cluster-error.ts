import { KafkaRxError } from '../errors';

/** A fake cluster was asked for something it cannot do: an unknown topic or broker, a topic that exists. */
export class FakeClusterError extends KafkaRxError {
  constructor(message: string) {
    super('FakeClusterError', message);
  }
}
