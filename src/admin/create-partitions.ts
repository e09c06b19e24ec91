import { map, type Observable } from 'rxjs';
import type { KafkaRxError } from '../errors';
import { CreatePartitions } from '../protocol/specs';
import { requestOptions, type AdminContext } from './admin-context';
import { answerError } from './item-error';
import { retryItems } from './retry-items';

/** A topic to grow to `count` partitions in all; `assignments` gives the replicas of each new partition. */
export interface NewPartitions {
  readonly name: string;
  readonly count: number;
  readonly assignments?: ReadonlyArray<readonly number[]>;
}

export interface CreatePartitionsResult {
  readonly name: string;
  readonly error?: KafkaRxError;
}

/** CreatePartitions, to any broker (forwarded to the controller); retriable answers are asked again. */
export function createPartitions$(
  ctx: AdminContext,
  topics: readonly NewPartitions[],
  options: { readonly validateOnly?: boolean } = {},
): Observable<CreatePartitionsResult[]> {
  const send = (batch: readonly NewPartitions[]): Observable<CreatePartitionsResult[]> =>
    ctx.cluster
      .requestAny(
        CreatePartitions,
        {
          topics: batch.map((t) => ({
            name: t.name,
            count: t.count,
            assignments: t.assignments ? t.assignments.map((brokerIds) => ({ brokerIds })) : null,
          })),
          timeoutMs: ctx.config.requestTimeoutMs,
          validateOnly: options.validateOnly ?? false,
        },
        requestOptions(ctx),
      )
      .pipe(
        map((response) =>
          batch.map(({ name }) => {
            const answer = response.results.find((r) => r.name === name);
            const error = answerError(answer, name, 'no result for this topic');
            return error ? { name, error } : { name };
          }),
        ),
      );
  return retryItems(topics, send, ctx.retry);
}
