import { map, type Observable } from 'rxjs';
import type { AdminContext } from './admin-context';
import { topicMetadata$ } from './describe-topics';

export interface ListTopicsOptions {
  /** Include Kafka's own topics (`__consumer_offsets`, `__transaction_state`, ...). Default false. */
  readonly internal?: boolean;
}

/** The names of the cluster's topics, sorted, from a Metadata request for all topics. */
export function listTopics$(ctx: AdminContext, options: ListTopicsOptions = {}): Observable<string[]> {
  return topicMetadata$(ctx, null).pipe(
    map((response) =>
      response.topics
        .flatMap((t) =>
          t.errorCode === 0 && typeof t.name === 'string' && (options.internal || !t.isInternal)
            ? [t.name]
            : [],
        )
        .sort(),
    ),
  );
}
