import { KafkaRxError } from '../errors';
import { protocolError } from '../protocol/errors';

/**
 * The error of one item of an admin call (a topic, partition, group or config resource), named by
 * Kafka's error name, with the broker's message when it sent one; `undefined` for code 0.
 */
export function itemError(code: number, subject: string, message?: string | null): KafkaRxError | undefined {
  const error = protocolError(code);
  if (error === undefined) return undefined;
  return new KafkaRxError(error.name, `${subject}: ${message ?? error.message}`, {
    code,
    retriable: error.retriable,
  });
}
