import { exhaustMap, filter, interval, type Observable, take } from 'rxjs';
import type { Clock } from '../time/clock';

const sameTopics = (a: readonly string[], b: readonly string[]): boolean =>
  a.join('\u0000') === b.join('\u0000');

/**
 * The topic-pattern watch: every `metadataMaxAgeMs` reads the matching topics (`matching$`, one
 * metadata refresh; a refresh still under way skips the next tick) and emits the new list once,
 * then completes, when it differs from the `subscribed` topics (both sorted).
 *
 * @example
 * patternChanged$(refreshedTopics$, ['orders-1'], 300000, clock).pipe(map(() => ({ type: 'rejoin' })))
 */
export function patternChanged$(
  matching$: Observable<readonly string[]>,
  subscribed: readonly string[],
  metadataMaxAgeMs: number,
  clock: Clock,
): Observable<readonly string[]> {
  return interval(metadataMaxAgeMs, clock).pipe(
    exhaustMap(() => matching$),
    filter((topics) => !sameTopics(topics, subscribed)),
    take(1),
  );
}
