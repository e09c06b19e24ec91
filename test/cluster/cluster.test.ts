import { catchError, map, mergeMap, of, take, timer, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { createCluster } from '../../src/cluster/create-cluster';
import { metadataRequest } from '../../src/cluster/metadata-response';
import type { KafkaRxError } from '../../src/errors';
import { FindCoordinator, Metadata } from '../../src/protocol/specs';
import { createMemoryTransport } from '../../src/transport/memory-transport';
import { fakeFrameHandler, fakeState, type FakeState } from '../support/fake-frame-handler';

function scheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

function setup(
  testScheduler: TestScheduler,
  state: FakeState,
  options: { brokers?: string[]; retries?: number; metadataMaxAgeMs?: number } = {},
) {
  const transport = createMemoryTransport({
    handler: fakeFrameHandler(state, testScheduler),
    clock: testScheduler,
    random: () => 0.5,
  });
  return createCluster({
    brokers: options.brokers ?? ['b1:9092'],
    transport,
    clock: testScheduler,
    retries: options.retries ?? 5,
    metadataMaxAgeMs: options.metadataMaxAgeMs,
    random: () => 0.5, // no jitter: retries wait 100, 200, 400, 800, 1000
  });
}

function at<T>(testScheduler: TestScheduler, ms: number, obs: Observable<T>): Observable<T> {
  return timer(ms, testScheduler).pipe(mergeMap(() => obs));
}

const host = map((b: { host: string }) => b.host);
const metadataRequests = (state: FakeState) => state.log.filter((r) => r.apiKey === Metadata.apiKey);

describe('cluster (virtual time)', () => {
  it('bootstraps, caches metadata, and asks again once it is older than metadataMaxAgeMs', () => {
    const testScheduler = scheduler();
    const state = fakeState();
    testScheduler.run(({ expectObservable }) => {
      const cluster = setup(testScheduler, state, { metadataMaxAgeMs: 1000 });
      const partitions = map((md: any) =>
        md.topics
          .get('orders')
          .partitions.map((p: any) => p.leader)
          .join(','),
      );
      expectObservable(cluster.metadata(['orders']).pipe(partitions)).toBe('(a|)', { a: '1,2' });
      expectObservable(at(testScheduler, 500, cluster.metadata(['orders'])).pipe(partitions)).toBe(
        '500ms (a|)',
        { a: '1,2' },
      );
      testScheduler.schedule(() => state.topics.set('orders', [2, 2]), 600);
      expectObservable(at(testScheduler, 900, cluster.metadata(['orders'])).pipe(partitions)).toBe(
        '900ms (a|)',
        { a: '1,2' },
      );
      expectObservable(at(testScheduler, 1001, cluster.metadata(['orders'])).pipe(partitions)).toBe(
        '1001ms (a|)',
        {
          a: '2,2',
        },
      );
    });
    expect(metadataRequests(state).map((r) => r.body.topics)).toEqual([
      [expect.objectContaining({ name: 'orders' })],
      [expect.objectContaining({ name: 'orders' })],
    ]);
  });

  it('fails with a BootstrapError naming every address and its cause once retries are spent', () => {
    const testScheduler = scheduler();
    const state = fakeState();
    state.down.add('x:1').add('y:2');
    let error: KafkaRxError | undefined;
    testScheduler.run(({ expectObservable }) => {
      const cluster = setup(testScheduler, state, { brokers: ['x:1', 'y:2'], retries: 2 });
      const metadata$ = cluster.metadata(['orders']).pipe(
        catchError((e: KafkaRxError) => {
          error = e;
          return of(e.name);
        }),
      );
      // Rounds at 0, 100 and 300 (backoff 100, then 200).
      expectObservable(metadata$).toBe('300ms (e|)', { e: 'BootstrapError' });
    });
    expect(error?.message).toMatch(
      /x:1: connection to x:1 failed: connection reset.*; y:2: connection to y:2 failed/,
    );
  });

  it('gives a clear error for a malformed bootstrap address', () => {
    const state = fakeState();
    expect(() => setup(scheduler(), state, { brokers: ['b1:9092', 'no-port'] })).toThrow(
      /bad broker address "no-port"/,
    );
  });

  it('finds the leader of a partition, refreshing with backoff while it is unknown', () => {
    const testScheduler = scheduler();
    const state = fakeState();
    state.topics.set('orders', [-1, 2]);
    testScheduler.run(({ expectObservable }) => {
      const cluster = setup(testScheduler, state);
      testScheduler.schedule(() => state.topics.set('orders', [1, 2]), 250);
      // Attempts at 0 and 100 see no leader; the one at 300 finds broker 1.
      expectObservable(cluster.leaderFor('orders', 0).pipe(host)).toBe('300ms (a|)', { a: 'b1' });
      expectObservable(cluster.leaderFor('orders', 1).pipe(host)).toBe('(a|)', { a: 'b2' });
    });
  });

  it('gives clear errors for an unknown topic and a partition the topic lacks', () => {
    const testScheduler = scheduler();
    const state = fakeState();
    const messages: string[] = [];
    testScheduler.run(({ expectObservable }) => {
      const cluster = setup(testScheduler, state, { retries: 1 });
      const record = (obs: Observable<unknown>) =>
        obs.pipe(
          catchError((e: KafkaRxError) => {
            messages.push(e.message);
            return of(e.name);
          }),
        );
      expectObservable(record(cluster.leaderFor('nope', 0))).toBe('100ms (e|)', {
        e: 'UNKNOWN_TOPIC_OR_PARTITION',
      });
      expectObservable(record(cluster.leaderFor('orders', 7))).toBe('100ms (e|)', {
        e: 'UNKNOWN_TOPIC_OR_PARTITION',
      });
    });
    expect(messages).toEqual([expect.stringMatching(/^nope: /), 'orders has 2 partitions, no partition 7']);
  });

  it('refreshes after a response carrying an error that invalidates metadata', () => {
    const testScheduler = scheduler();
    const state = fakeState();
    testScheduler.run(() => {
      const cluster = setup(testScheduler, state);
      cluster.metadata(['orders']).subscribe();
      // Any response with such an error code (UNKNOWN_TOPIC_OR_PARTITION here) marks the cache stale.
      testScheduler.schedule(
        () =>
          cluster.request({ host: 'b1', port: 9092 }, Metadata, metadataRequest(['gone'], false)).subscribe(),
        10,
      );
      testScheduler.schedule(() => cluster.metadata(['orders']).subscribe(), 20);
    });
    expect(metadataRequests(state)).toHaveLength(3);
  });

  it('answers a refresh asked from inside the answer of the refresh it would join', () => {
    const testScheduler = scheduler();
    const state = fakeState();
    const answers: string[] = [];
    testScheduler.run(() => {
      const cluster = setup(testScheduler, state);
      // The first fetch has emitted but not yet completed when the second refresh is asked.
      cluster.refreshMetadata(['orders']).subscribe(() => {
        cluster.refreshMetadata(['orders']).subscribe({
          next: (md) => answers.push(`next ${md.topics.get('orders')!.partitions.length}`),
          complete: () => answers.push('complete'),
        });
      });
    });
    expect(answers).toEqual(['next 2', 'complete']);
  });

  it('finds coordinators with batched coordinatorKeys (v4+), caches them, and looks again after coordinatorDead', () => {
    const testScheduler = scheduler();
    const state = fakeState();
    testScheduler.run(({ expectObservable }) => {
      const cluster = setup(testScheduler, state);
      expectObservable(cluster.coordinator('group-a').pipe(host)).toBe('(a|)', { a: 'b2' });
      expectObservable(at(testScheduler, 10, cluster.coordinator('group-a')).pipe(host)).toBe('10ms (a|)', {
        a: 'b2',
      });
      testScheduler.schedule(() => {
        state.coordinators.set('group-a', 1);
        cluster.coordinatorDead('group-a');
      }, 20);
      expectObservable(at(testScheduler, 30, cluster.coordinator('group-a')).pipe(host)).toBe('30ms (a|)', {
        a: 'b1',
      });
    });
    const lookups = state.log.filter((r) => r.apiKey === FindCoordinator.apiKey);
    expect(lookups.map((r) => [r.version, r.body])).toEqual([
      [6, { keyType: 0, coordinatorKeys: ['group-a'] }],
      [6, { keyType: 0, coordinatorKeys: ['group-a'] }],
    ]);
  });

  it('uses the single key of FindCoordinator v0-3 with older brokers, and retries COORDINATOR_NOT_AVAILABLE', () => {
    const testScheduler = scheduler();
    const state = fakeState();
    state.apiVersions.set(FindCoordinator.apiKey, [0, 3]);
    state.errors.set(FindCoordinator.apiKey, [15, 14]);
    testScheduler.run(({ expectObservable }) => {
      const cluster = setup(testScheduler, state);
      expectObservable(cluster.coordinator('group-a').pipe(host)).toBe('300ms (a|)', { a: 'b2' });
    });
    const lookups = state.log.filter((r) => r.apiKey === FindCoordinator.apiKey);
    expect(lookups.map((r) => [r.version, r.body.key])).toEqual([
      [3, 'group-a'],
      [3, 'group-a'],
      [3, 'group-a'],
    ]);
  });

  it('matches a topic pattern against all topics at each refresh, leaving internal topics out', () => {
    const testScheduler = scheduler();
    const state = fakeState();
    state.topics.set('orders-eu', [1]).set('payments', [2]).set('__consumer_offsets', [1]);
    testScheduler.run(({ expectObservable }) => {
      const cluster = setup(testScheduler, state, { metadataMaxAgeMs: 1000 });
      testScheduler.schedule(() => state.topics.set('orders-us', [2]), 500);
      const names = map((md: any) => [...md.topics.keys()].sort().join(' '));
      expectObservable(cluster.watchMetadata(/^orders/).pipe(names, take(3))).toBe('a 999ms b 999ms (b|)', {
        a: 'orders orders-eu',
        b: 'orders orders-eu orders-us',
      });
    });
    expect(metadataRequests(state).map((r) => r.body.topics)).toEqual([null, null, null]);
  });

  it('sends requestAny to the next broker when one does not answer', () => {
    const testScheduler = scheduler();
    const state = fakeState();
    testScheduler.run(({ expectObservable }) => {
      const cluster = setup(testScheduler, state);
      cluster.metadata([]).subscribe();
      testScheduler.schedule(() => state.down.add('b1:9092'), 5);
      const nodes = map((body: any) => body.brokers.length);
      expectObservable(
        at(testScheduler, 10, cluster.requestAny(Metadata, metadataRequest([], false))).pipe(nodes),
      ).toBe('10ms (a|)', {
        a: 2,
      });
      expectObservable(
        at(testScheduler, 20, cluster.requestAny(Metadata, metadataRequest([], false))).pipe(nodes),
      ).toBe('20ms (a|)', {
        a: 2,
      });
    });
    expect(metadataRequests(state).map((r) => r.broker)).toEqual(['b1:9092', 'b2:9092', 'b2:9092']);
  });
});
