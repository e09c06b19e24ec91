import { catchError, map, mergeMap, of, timer, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { BootstrapError } from '../../src/cluster/errors';
import { createCluster } from '../../src/cluster/create-cluster';
import type { KafkaRxError } from '../../src/errors';
import { createMemoryTransport } from '../../src/transport/memory-transport';
import { fakeFrameHandler, fakeState, type FakeState } from '../support/fake-frame-handler';

function scheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

function setup(testScheduler: TestScheduler, state: FakeState, bootstrapTimeoutMs?: number) {
  const transport = createMemoryTransport({
    handler: fakeFrameHandler(state, testScheduler),
    clock: testScheduler,
    random: () => 0.5,
    connectTimeoutMs: 3000,
  });
  return createCluster({
    brokers: ['b1:9092'],
    transport,
    clock: testScheduler,
    retries: 100,
    retryBackoffMaxMs: 1000,
    bootstrapTimeoutMs,
    random: () => 0.5,
  });
}

/** The error's name and whether it is retriable, or `ok`. */
const outcome = (source: Observable<unknown>): Observable<string> =>
  source.pipe(
    map(() => 'ok'),
    catchError((e: KafkaRxError) =>
      of(`${e.name} ${e.retriable ? 'retriable' : 'final'} ${e instanceof BootstrapError}`),
    ),
  );

describe('bootstrapTimeoutMs: when the cluster gives up', () => {
  it('a cluster never reached fails with a final BootstrapError at bootstrapTimeoutMs, not before', () => {
    const testScheduler = scheduler();
    const state = fakeState();
    state.down.add('b1:9092');
    let message = '';
    testScheduler.run(({ expectObservable }) => {
      const cluster = setup(testScheduler, state, 5000);
      const metadata$ = cluster.metadata(['orders']).pipe(
        catchError((e: KafkaRxError) => {
          message = e.message;
          throw e;
        }),
      );
      expectObservable(outcome(metadata$)).toBe('5000ms (e|)', { e: 'BootstrapError final true' });
    });
    expect(message).toMatch(/within bootstrapTimeoutMs \(5000 ms\).*b1:9092: connection to b1:9092 failed/);
  });

  it('a connection that hangs (no answer at all) ends at the deadline too', () => {
    const testScheduler = scheduler();
    const state = fakeState();
    state.silent.add('b1:9092');
    testScheduler.run(({ expectObservable }) => {
      const cluster = setup(testScheduler, state, 2000);
      expectObservable(outcome(cluster.metadata(['orders']))).toBe('2000ms (e|)', {
        e: 'BootstrapError final true',
      });
    });
  });

  it('the default is 10 s', () => {
    const testScheduler = scheduler();
    const state = fakeState();
    state.down.add('b1:9092');
    testScheduler.run(({ expectObservable }) => {
      const cluster = setup(testScheduler, state);
      expectObservable(outcome(cluster.metadata(['orders']))).toBe('10000ms (e|)', {
        e: 'BootstrapError final true',
      });
    });
  });

  it('a cluster reached once is retried with backoff past bootstrapTimeoutMs, and answers when it is back', () => {
    const testScheduler = scheduler();
    const state = fakeState();
    const seen: Array<[number, string]> = [];
    testScheduler.run(() => {
      const cluster = setup(testScheduler, state, 2000);
      outcome(cluster.metadata(['orders'])).subscribe((o) => seen.push([testScheduler.now(), o]));
      testScheduler.schedule(() => state.down.add('b1:9092').add('b2:9092'), 10);
      testScheduler.schedule(() => state.down.clear(), 8000);
      const later$ = timer(20, testScheduler).pipe(mergeMap(() => cluster.refreshMetadata(['orders'])));
      outcome(later$).subscribe((o) => seen.push([testScheduler.now(), o]));
    });
    // Down from 10 ms to 8 s, far past bootstrapTimeoutMs: no final error, the answer once it is back.
    expect(seen.map(([, o]) => o)).toEqual(['ok', 'ok']);
    expect(seen[1][0]).toBeGreaterThan(8000);
  });
});
