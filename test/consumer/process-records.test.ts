import { map, Observable, of, take, throwError, timer } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { processRecords } from '../../src/consumer/process-records';
import type { ConsumerRecord } from '../../src/consumer/types';

/** A record as the operator sees it: partition and offset in its name, an ack that is recorded. */
function record(name: string, acks: string[]): ConsumerRecord {
  const [partition, offset] = name.slice(1).split('.').map(Number);
  return {
    topic: 't',
    partition,
    offset: BigInt(offset),
    timestamp: 0,
    key: null,
    value: Buffer.from(name),
    headers: [],
    ack: () => acks.push(name),
  };
}

function scheduler() {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

const name = (r: ConsumerRecord) => r.value?.toString() as string;

describe('processRecords', () => {
  it('handles one partition in offset order, one record at a time, acking and emitting each when done', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const acks: string[] = [];
      const values = { a: 'p0.0', b: 'p0.1', c: 'p0.2' };
      const source = cold('(abc)', values).pipe(map((v) => record(v, acks)));
      // 10 ms of work per record, all three arriving at once.
      const out = source.pipe(
        processRecords(() => timer(10)),
        map(name),
      );
      expectObservable(out).toBe('10ms a 9ms b 9ms c', values);
    });
  });

  it('runs up to `concurrency` partitions at once, each in order', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const acks: string[] = [];
      const values = { a: 'p0.0', b: 'p0.1', c: 'p1.0', d: 'p1.1', e: 'p2.0' };
      const source = cold('(abcde)', values).pipe(map((v) => record(v, acks)));
      const out = source.pipe(
        processRecords(() => timer(10), { concurrency: 2 }),
        map(name),
      );
      // p0 and p1 start at once; p2 waits for a slot and takes its turn before p1 goes on.
      expectObservable(out).toBe('10ms (ac) 6ms (eb) 6ms d', values);
    });
  });

  it('with concurrency 1, partitions take turns record by record', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const acks: string[] = [];
      const values = { a: 'p0.0', b: 'p0.1', c: 'p1.0', d: 'p1.1' };
      const out = cold('(abcd)', values).pipe(
        map((v) => record(v, acks)),
        processRecords(() => timer(5)),
        map(name),
      );
      expectObservable(out).toBe('5ms a 4ms c 4ms b 4ms d', values);
    });
  });

  it('acks a record when its work completes, not before; a handler returning nothing is done at once', () => {
    scheduler().run(({ flush }) => {
      const acks: string[] = [];
      const source = of(record('p0.0', acks), record('p1.0', acks));
      const seen: string[] = [];
      source
        .pipe(processRecords((r) => (r.partition === 0 ? timer(20) : undefined), { concurrency: 2 }))
        .subscribe((r) => seen.push(name(r)));
      expect(acks).toEqual(['p1.0']);
      flush();
      expect(acks).toEqual(['p1.0', 'p0.0']);
      expect(seen).toEqual(['p1.0', 'p0.0']);
    });
  });

  it('accepts promises', async () => {
    const acks: string[] = [];
    const out: string[] = [];
    await new Promise<void>((resolve, reject) =>
      of(record('p0.0', acks), record('p0.1', acks))
        .pipe(processRecords(async () => undefined))
        .subscribe({ next: (r) => out.push(name(r)), complete: resolve, error: reject }),
    );
    expect(out).toEqual(['p0.0', 'p0.1']);
    expect(acks).toEqual(['p0.0', 'p0.1']);
  });

  it('a failed handler errors the stream: the failed record and those after it are not acked, other work is unsubscribed', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions, flush }) => {
      const acks: string[] = [];
      const values = { a: 'p0.0', b: 'p0.1', c: 'p1.0' };
      const slow = cold('30ms |');
      const source = cold('(abc)', values).pipe(map((v) => record(v, acks)));
      const out = source.pipe(
        processRecords(
          (r) =>
            r.partition === 1 ? slow : r.offset === 0n ? timer(5) : throwError(() => new Error('boom')),
          { concurrency: 2 },
        ),
        map(name),
      );
      expectObservable(out).toBe('5ms (a#)', values, new Error('boom'));
      expectSubscriptions(slow.subscriptions).toBe('^ 4ms !');
      flush();
      expect(acks).toEqual(['p0.0']);
    });
  });

  it('a handler that throws errors the stream without acking its record', () => {
    const acks: string[] = [];
    const errors: unknown[] = [];
    of(record('p0.0', acks))
      .pipe(
        processRecords(() => {
          throw new Error('bad record');
        }),
      )
      .subscribe({ error: (e) => errors.push(e) });
    expect(errors).toEqual([new Error('bad record')]);
    expect(acks).toEqual([]);
  });

  it('completes once the source has completed and every record is done', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const acks: string[] = [];
      const values = { a: 'p0.0' };
      const out = cold('a|', values).pipe(
        map((v) => record(v, acks)),
        processRecords(() => timer(10)),
        map(name),
      );
      expectObservable(out).toBe('10ms (a|)', values);
    });
  });

  it('unsubscribing from downstream (take) stops the work under way without acking it', () => {
    scheduler().run(({ cold, expectObservable, flush }) => {
      const acks: string[] = [];
      const values = { a: 'p0.0', b: 'p1.0' };
      const out = cold('(ab)', values).pipe(
        map((v) => record(v, acks)),
        processRecords((r) => timer(r.partition === 0 ? 5 : 50), { concurrency: 2 }),
        take(1),
        map(name),
      );
      expectObservable(out).toBe('5ms (a|)', values);
      flush();
      expect(acks).toEqual(['p0.0']);
    });
  });

  it('handles synchronous work for many records without growing the stack', () => {
    const acks: string[] = [];
    const records = Array.from({ length: 20000 }, (_, i) => record(`p0.${i}`, acks));
    let count = 0;
    new Observable<ConsumerRecord>((s) => records.forEach((r) => s.next(r)))
      .pipe(processRecords(() => of(1)))
      .subscribe(() => count++);
    expect(count).toBe(20000);
    expect(acks).toHaveLength(20000);
  });

  it('refuses a concurrency that is not a positive integer', () => {
    expect(() => processRecords(() => undefined, { concurrency: 0 })).toThrow(/concurrency/);
    expect(() => processRecords(() => undefined, { concurrency: 1.5 })).toThrow(/concurrency/);
  });
});
