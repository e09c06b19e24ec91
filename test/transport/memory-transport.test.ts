import { catchError, map, mergeMap, of, timer, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { KafkaRxError } from '../../src/errors';
import { Metadata } from '../../src/protocol/specs';
import { createMemoryTransport } from '../../src/transport/memory-transport';
import type { InstrumentedTransport, TransportEvent } from '../../src/transport/transport';
import { fakeFrameHandler, fakeState, type FakeState } from '../support/fake-frame-handler';

const b1 = { host: 'b1', port: 9092, nodeId: 1 };
const allTopics = { topics: null, allowAutoTopicCreation: false, includeTopicAuthorizedOperations: false };

function scheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

function setup(
  testScheduler: TestScheduler,
  state: FakeState,
  options: { maxInFlightRequests?: number; requestTimeoutMs?: number } = {},
): InstrumentedTransport {
  return createMemoryTransport({
    handler: fakeFrameHandler(state, testScheduler),
    clock: testScheduler,
    random: () => 0.5, // no jitter: backoff is exactly 100, 100, 200, 400, ...
    ...options,
  });
}

/** `obs` subscribed at virtual time `ms`. */
function at<T>(testScheduler: TestScheduler, ms: number, obs: Observable<T>): Observable<T> {
  return timer(ms, testScheduler).pipe(mergeMap(() => obs));
}

/** Errors as their name, so marbles can compare them. */
const named = <T>(obs: Observable<T>) => obs.pipe(catchError((e: KafkaRxError) => of(e.name)));

const brokerCount = map((body: Record<string, any> | undefined) => body?.brokers.length);

describe('memory transport (virtual time)', () => {
  it('negotiates with ApiVersions v3 first, then uses the highest common version', () => {
    const testScheduler = scheduler();
    const state = fakeState({ delayMs: 5 });
    state.apiVersions.set(Metadata.apiKey, [0, 7]);
    testScheduler.run(({ expectObservable }) => {
      const transport = setup(testScheduler, state);
      expectObservable(transport.request(b1, Metadata, allTopics).pipe(brokerCount)).toBe('10ms (a|)', {
        a: 2,
      });
    });
    expect(state.log.map((r) => [r.apiKey, r.version])).toEqual([
      [18, 3],
      [3, 7],
    ]);
    expect(state.log[0].body).toEqual({ clientSoftwareName: 'kafka-rx', clientSoftwareVersion: '0.1.0' });
  });

  it.each<[string, Partial<FakeState>, number[][]]>([
    [
      'asks again at the version a broker without ApiVersions v3 names in its v0 answer',
      {},
      [
        [18, 3],
        [18, 2],
        [3, 4],
      ],
    ],
    [
      'uses a v0 UNSUPPORTED_VERSION answer that lists every API as it is',
      { fullFallback: true },
      [
        [18, 3],
        [3, 4],
      ],
    ],
  ])('%s', (_name, overrides, asked) => {
    const testScheduler = scheduler();
    const state = fakeState(overrides);
    state.apiVersions.set(18, [0, 2]);
    state.apiVersions.set(Metadata.apiKey, [1, 4]);
    testScheduler.run(({ expectObservable }) => {
      const transport = setup(testScheduler, state);
      expectObservable(transport.request(b1, Metadata, allTopics).pipe(brokerCount)).toBe('(a|)', { a: 2 });
    });
    expect(state.log.map((r) => [r.apiKey, r.version])).toEqual(asked);
  });

  it('fails with an error naming the API and both ranges when there is no common version', () => {
    const testScheduler = scheduler();
    const state = fakeState();
    state.apiVersions.set(Metadata.apiKey, [13, 14]);
    let error: KafkaRxError | undefined;
    testScheduler.run(() => {
      setup(testScheduler, state)
        .request(b1, Metadata, allTopics)
        .subscribe({ error: (e) => (error = e) });
    });
    expect(error?.name).toBe('UnsupportedVersionError');
    expect(error?.message).toMatch(/Metadata .*b1:9092.*v1-12.*v13-14/);
    expect(error?.retriable).toBe(false);
  });

  it('keeps at most maxInFlightRequests in flight and answers the rest in order', () => {
    const testScheduler = scheduler();
    const state = fakeState({ delayMs: 10 });
    testScheduler.run(({ expectObservable }) => {
      const transport = setup(testScheduler, state, { maxInFlightRequests: 2 });
      // Connected at 10 (ApiVersions); then two requests per 10 ms round trip.
      const expected = ['20ms (a|)', '20ms (a|)', '30ms (a|)', '30ms (a|)', '40ms (a|)'];
      for (const marbles of expected) {
        expectObservable(transport.request(b1, Metadata, allTopics).pipe(brokerCount)).toBe(marbles, {
          a: 2,
        });
      }
    });
    expect(state.log.filter((r) => r.apiKey === 18)).toHaveLength(1);
  });

  it('drops the response of an unsubscribed request without breaking the connection', () => {
    const testScheduler = scheduler();
    const state = fakeState({ delayMs: 10 });
    testScheduler.run(({ expectObservable }) => {
      const transport = setup(testScheduler, state, { maxInFlightRequests: 1 });
      // Written at 10, abandoned at 15; its slot is free again when its response arrives at 20.
      expectObservable(transport.request(b1, Metadata, allTopics), '^ 14ms !').toBe('');
      expectObservable(
        at(testScheduler, 12, transport.request(b1, Metadata, allTopics)).pipe(brokerCount),
      ).toBe('30ms (a|)', { a: 2 });
    });
    expect(state.log.map((r) => r.apiKey)).toEqual([18, 3, 3]);
  });

  it('times a request out on the clock, closes the connection, and reconnects for the next one', () => {
    const testScheduler = scheduler();
    const state = fakeState({ delayMs: 5 });
    testScheduler.run(({ expectObservable }) => {
      const transport = setup(testScheduler, state, { requestTimeoutMs: 1000 });
      expectObservable(transport.request(b1, Metadata, allTopics).pipe(brokerCount)).toBe('10ms (a|)', {
        a: 2,
      });
      testScheduler.schedule(() => state.silent.add('b1:9092'), 20);
      expectObservable(named(at(testScheduler, 30, transport.request(b1, Metadata, allTopics)))).toBe(
        '1030ms (e|)',
        {
          e: 'RequestTimeoutError',
        },
      );
      testScheduler.schedule(() => state.silent.clear(), 1500);
      // A new connection: ApiVersions again, then the request.
      expectObservable(
        at(testScheduler, 2000, transport.request(b1, Metadata, allTopics)).pipe(brokerCount),
      ).toBe('2010ms (a|)', { a: 2 });
    });
    expect(state.log.map((r) => r.apiKey)).toEqual([18, 3, 3, 18, 3]);
  });

  it('a per-request timeout overrides the transport default', () => {
    const testScheduler = scheduler();
    const state = fakeState({ delayMs: 500 });
    testScheduler.run(({ expectObservable }) => {
      const transport = setup(testScheduler, state, { requestTimeoutMs: 100000 });
      expectObservable(named(transport.request(b1, Metadata, allTopics, { timeoutMs: 200 }))).toBe(
        '700ms (e|)',
        {
          e: 'RequestTimeoutError',
        },
      );
    });
  });

  it('fails every in-flight request with a retriable ConnectionError when the connection drops', () => {
    const testScheduler = scheduler();
    const state = fakeState({ delayMs: 10 });
    const errors: KafkaRxError[] = [];
    testScheduler.run(({ expectObservable }) => {
      const transport = setup(testScheduler, state);
      for (let i = 0; i < 3; i++) {
        const request = transport.request(b1, Metadata, allTopics).pipe(
          catchError((e: KafkaRxError) => {
            errors.push(e);
            return of(e.name);
          }),
        );
        expectObservable(request).toBe('15ms (e|)', { e: 'ConnectionError' });
      }
      testScheduler.schedule(() => state.drop.next('b1:9092'), 15);
    });
    expect(
      errors.every((e) => e.retriable && /b1:9092 \(node 1\) failed: connection reset/.test(e.message)),
    ).toBe(true);
  });

  it('reconnects on the next request, backing off exponentially after failed attempts', () => {
    const testScheduler = scheduler();
    const state = fakeState();
    state.down.add('b1:9092');
    testScheduler.run(({ expectObservable }) => {
      const transport = setup(testScheduler, state);
      const request = (ms: number) =>
        named(at(testScheduler, ms, transport.request(b1, Metadata, allTopics)).pipe(brokerCount));
      // Attempts at 0 (fails), then 100 after it, then 200 after that one: 0, 100, 300.
      expectObservable(request(0)).toBe('(e|)', { e: 'ConnectionError' });
      expectObservable(request(1)).toBe('100ms (e|)', { e: 'ConnectionError' });
      expectObservable(request(101)).toBe('300ms (e|)', { e: 'ConnectionError' });
      testScheduler.schedule(() => state.down.clear(), 350);
      // Three failures in a row: 400 after the attempt at 300.
      expectObservable(request(350)).toBe('700ms (a|)', { a: 2 });
      // A working connection resets the backoff.
      expectObservable(request(800)).toBe('800ms (a|)', { a: 2 });
    });
    expect(state.log.filter((r) => r.apiKey === 18)).toHaveLength(1);
  });

  it('reports connections, requests and disconnections on events$', () => {
    const testScheduler = scheduler();
    const state = fakeState({ delayMs: 5 });
    const events: TransportEvent[] = [];
    testScheduler.run(() => {
      const transport = setup(testScheduler, state);
      transport.events$.subscribe((e) => events.push(e));
      transport.request(b1, Metadata, allTopics).subscribe();
      testScheduler.schedule(
        () => transport.request(b1, Metadata, allTopics).subscribe({ error: () => undefined }),
        12,
      );
      testScheduler.schedule(() => state.drop.next('b1:9092'), 13);
      testScheduler.schedule(() => state.down.add('b1:9092'), 14);
      // Reconnects 100 ms after the last attempt (at 0): fails at 100.
      testScheduler.schedule(
        () => transport.request(b1, Metadata, allTopics).subscribe({ error: () => undefined }),
        15,
      );
    });
    expect(
      events.map((e) =>
        e.type === 'request'
          ? `${e.type}:${e.api}:v${e.version}:${e.latencyMs}:${e.error?.name ?? 'ok'}`
          : e.type,
      ),
    ).toEqual([
      'request:ApiVersions:v3:5:ok',
      'connect',
      'request:Metadata:v12:5:ok',
      'request:Metadata:v12:1:ConnectionError',
      'disconnect',
      // A connection that never became ready reports connect-error, not disconnect.
      'request:ApiVersions:v3:0:ConnectionError',
      'connect-error',
    ]);
    const connectError = events.find((e) => e.type === 'connect-error');
    expect(connectError?.type === 'connect-error' && connectError.error.message).toMatch(
      /b1:9092.*connection reset/,
    );
  });

  it('close() fails in-flight requests and refuses new ones', async () => {
    const testScheduler = scheduler();
    const state = fakeState({ delayMs: 10 });
    const outcomes: string[] = [];
    const transport = setup(testScheduler, state);
    testScheduler.run(() => {
      transport
        .request(b1, Metadata, allTopics)
        .subscribe({ error: (e) => outcomes.push(`in-flight: ${e.name}`) });
      testScheduler.schedule(() => void transport.close(), 15);
      testScheduler.schedule(
        () =>
          transport
            .request(b1, Metadata, allTopics)
            .subscribe({ error: (e) => outcomes.push(`after: ${e.message}`) }),
        16,
      );
    });
    expect(outcomes).toEqual([
      'in-flight: ConnectionError',
      'after: connection to b1:9092 (node 1) cannot be made: the transport is closed',
    ]);
  });
});
