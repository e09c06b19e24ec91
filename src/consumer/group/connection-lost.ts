import { KafkaRxError } from '../../errors';

/**
 * Whether a request failed because its connection did (dropped, refused, or no answer within the
 * request timeout, after which the connection is closed). Sent to the group coordinator, this means
 * the coordinator may be gone: Kafka's Java client marks it unknown on such a disconnect and looks
 * it up again, rather than waiting for the session to time out.
 */
export function connectionLost(error: unknown): boolean {
  return (
    error instanceof KafkaRxError &&
    (error.name === 'ConnectionError' || error.name === 'RequestTimeoutError')
  );
}
