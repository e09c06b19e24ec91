import { tracingChannel } from 'node:diagnostics_channel';
import { of, Subject, throwError } from 'rxjs';
import { traced } from '../../src/diagnostics';

interface Trace {
  readonly id: number;
  result?: number;
  error?: unknown;
}

// The `traced` operator on a channel of the test's own: the events each kind of ending publishes.
describe('traced', () => {
  const channel = tracingChannel<Trace, Trace>('kafka-rx-test:traced');
  let events: string[];
  const handlers = {
    start: (t: Trace) => events.push(`start ${t.id}`),
    end: (t: Trace) => events.push(`end ${t.id}`),
    asyncStart: (t: Trace) => events.push(`asyncStart ${t.id} result=${t.result}`),
    asyncEnd: (t: Trace) => events.push(`asyncEnd ${t.id}`),
    error: (t: Trace) => events.push(`error ${t.id} ${(t.error as Error).message}`),
  };
  beforeEach(() => {
    events = [];
    channel.subscribe(handlers);
  });
  afterEach(() => channel.unsubscribe(handlers));

  const withOutcome = traced<number, Trace>(
    channel,
    () => ({ id: 1 }),
    (trace, last) => (trace.result = last),
  );

  it('publishes start, end and, when the source settles later, asyncStart and asyncEnd with the result', () => {
    const source = new Subject<number>();
    const seen: string[] = [];
    source
      .pipe(withOutcome)
      .subscribe({ next: (v) => seen.push(`next ${v}`), complete: () => seen.push('complete') });
    expect(events).toEqual(['start 1', 'end 1']);
    source.next(7);
    source.complete();
    expect(events).toEqual(['start 1', 'end 1', 'asyncStart 1 result=7', 'asyncEnd 1']);
    expect(seen).toEqual(['next 7', 'complete']);
  });

  it('publishes error before asyncStart, with the error on the payload', () => {
    const failed: unknown[] = [];
    throwError(() => new Error('refused'))
      .pipe(withOutcome)
      .subscribe({ error: (e) => failed.push(e) });
    expect(events).toEqual([
      'start 1',
      'error 1 refused',
      'asyncStart 1 result=undefined',
      'asyncEnd 1',
      'end 1',
    ]);
    expect(failed).toHaveLength(1);
  });

  it('ends an operation unsubscribed before it settles, without a result', () => {
    const subscription = new Subject<number>().pipe(withOutcome).subscribe();
    subscription.unsubscribe();
    expect(events).toEqual(['start 1', 'end 1', 'asyncStart 1 result=undefined', 'asyncEnd 1']);
  });

  it('makes no payload and passes values through when nobody listens', () => {
    channel.unsubscribe(handlers);
    const payload = jest.fn((): Trace => ({ id: 2 }));
    const values: number[] = [];
    of(1, 2)
      .pipe(traced(channel, payload))
      .subscribe((v) => values.push(v));
    expect(payload).not.toHaveBeenCalled();
    expect(values).toEqual([1, 2]);
    channel.subscribe(handlers);
  });
});
