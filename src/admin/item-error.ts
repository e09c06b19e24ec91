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

/**
 * The error of an item by the broker's answer for it; an item it left unanswered is
 * UNKNOWN_SERVER_ERROR (-1), with `missing` as the message when given.
 */
export function answerError(
  answer: { readonly errorCode: number; readonly errorMessage?: string | null } | undefined,
  subject: string,
  missing?: string,
): KafkaRxError | undefined {
  return answer ? itemError(answer.errorCode, subject, answer.errorMessage) : itemError(-1, subject, missing);
}
