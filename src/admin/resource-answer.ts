import type { KafkaRxError } from '../errors';
import { RESOURCE_TYPE_CODES, type ConfigResource } from './config-resource';
import { answerError } from './item-error';

/** What DescribeConfigs and IncrementalAlterConfigs answer per resource. */
export interface ResourceAnswer {
  readonly resourceType: number;
  readonly resourceName: string;
  readonly errorCode: number;
  readonly errorMessage?: string | null;
}

/** The answer, or the error (with the answer when the broker sent one). */
export type Answered<A> =
  { readonly answer: A; readonly error?: undefined } | { readonly answer?: A; readonly error: KafkaRxError };

/**
 * A config resource's answer among a response's (by type code and name), and its error; a
 * resource the broker left unanswered is an error too (as code -1, UNKNOWN_SERVER_ERROR).
 */
export function resourceAnswer<A extends ResourceAnswer>(
  answers: readonly A[],
  { type, name }: ConfigResource,
): Answered<A> {
  const answer = answers.find((r) => r.resourceType === RESOURCE_TYPE_CODES[type] && r.resourceName === name);
  const error = answerError(answer, `${type} ${JSON.stringify(name)}`);
  if (error !== undefined) return { answer, error };
  // No error means an answer was found (a missing one has code -1).
  return { answer: answer as A };
}
