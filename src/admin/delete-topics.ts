import { map, type Observable } from 'rxjs';
import type { KafkaRxError } from '../errors';
import { DeleteTopics } from '../protocol/specs';
import { requestOptions, type AdminContext } from './admin-context';
import { answerError } from './item-error';
import { retryItems } from './retry-items';

export interface DeleteTopicResult {
  readonly name: string;
  readonly error?: KafkaRxError;
}

const NO_TOPIC_ID = '00000000-0000-0000-0000-000000000000';

/** DeleteTopics by name, to any broker (forwarded to the controller); retriable answers are asked again. */
export function deleteTopics$(ctx: AdminContext, names: readonly string[]): Observable<DeleteTopicResult[]> {
  const send = (batch: readonly string[]): Observable<DeleteTopicResult[]> =>
    ctx.cluster
      .requestAny(
        DeleteTopics,
        (version) => ({
          // v6 names topics by name or id; before, by name only.
          ...(version >= 6
            ? { topics: batch.map((name) => ({ name, topicId: NO_TOPIC_ID })) }
            : { topicNames: batch }),
          timeoutMs: ctx.config.requestTimeoutMs,
        }),
        requestOptions(ctx),
      )
      .pipe(
        map((response) =>
          batch.map((name) => {
            const answer = response.responses.find((r) => r.name === name);
            const error = answerError(answer, name, 'no result for this topic');
            return error ? { name, error } : { name };
          }),
        ),
      );
  return retryItems(names, send, ctx.retry);
}
