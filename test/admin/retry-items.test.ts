import { defer, map, of, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { retryItems, type ItemResult } from '../../src/admin/retry-items';
import { KafkaRxError } from '../../src/errors';

interface Result extends ItemResult {
  readonly name: string;
}

const notController = () => new KafkaRxError('NOT_CONTROLLER', 'moved', { code: 41, retriable: true });
const unknownTopic = () =>
  new KafkaRxError('UNKNOWN_TOPIC_OR_PARTITION', 'no such topic', { code: 3, retriable: true });

function scheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

describe('retryItems (virtual time)', () => {
  it('asks again only the items with a retriable error, after a backoff on the clock', () => {
    const testScheduler = scheduler();
    const sent: string[][] = [];
    // "b" is refused twice with NOT_CONTROLLER, "c" is an unknown topic (an answer, not retried).
    const send = (items: readonly string[]): Observable<Result[]> =>
      defer(() => {
        sent.push([...items]);
        const refused = sent.filter((batch) => batch.includes('b')).length <= 2;
        return of(
          items.map((name): Result => {
            if (name === 'b' && refused) return { name, error: notController() };
            if (name === 'c') return { name, error: unknownTopic() };
            return { name };
          }),
        );
      });
    testScheduler.run(({ expectObservable }) => {
      const retry = {
        clock: testScheduler,
        retries: 5,
        backoff: { initial: 100, max: 1000, jitter: 0.2 },
        random: () => 0.5,
      };
      const results$ = retryItems(['a', 'b', 'c'], send, retry).pipe(
        map((results) => results.map((r) => `${r.name}:${r.error?.name ?? 'ok'}`).join(' ')),
      );
      // Rounds at 0, 100 (backoff 100) and 300 ms (backoff 200).
      expectObservable(results$).toBe('300ms (x|)', { x: 'a:ok b:ok c:UNKNOWN_TOPIC_OR_PARTITION' });
    });
    expect(sent).toEqual([['a', 'b', 'c'], ['b'], ['b']]);
  });

  it('keeps the last error of an item once its retries are spent', () => {
    const testScheduler = scheduler();
    let calls = 0;
    testScheduler.run(({ expectObservable }) => {
      const retry = {
        clock: testScheduler,
        retries: 2,
        backoff: { initial: 100, max: 1000, jitter: 0.2 },
        random: () => 0.5,
      };
      const send = (items: readonly string[]) => {
        calls += 1;
        return of(items.map((name): Result => ({ name, error: notController() })));
      };
      expectObservable(retryItems(['a'], send, retry)).toBe('300ms (x|)', {
        x: [{ name: 'a', error: expect.objectContaining({ name: 'NOT_CONTROLLER' }) }],
      });
    });
    expect(calls).toBe(3);
  });
});
