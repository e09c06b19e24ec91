import { interval, map, type Observable, range, take, tap } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { BufferExhaustedError, createProducerOn, produce, RecordTooLargeError } from '../../src/producer';
import { resolveProducerConfig } from '../../src/producer/producer-config';
import type { ApiSpec, Message } from '../../src/protocol/spec';
import type { ResponseOf } from '../../src/protocol/spec-types';
import type { RequestArgs } from '../support/request-args';
import { readBatchHeader, ScriptedProducerCluster } from '../support/scripted-producer-cluster';

const VALUE = 'v'.repeat(1000);
/** estimateRecordSize of a record with no key, no headers and VALUE: 36 bytes of varints and fields. */
const RECORD_SIZE = 1036;
const BATCH_OVERHEAD = 61;

/** Counts the records the broker has answered for, before the producer hears the answer. */
class CountingCluster extends ScriptedProducerCluster {
  answered = 0;

  override request<A extends ApiSpec>(...args: RequestArgs<A>): Observable<ResponseOf<A>> {
    const [, api, body] = args;
    const records =
      api.name === 'Produce'
        ? (body as Message).topicData
            .flatMap((t: Message) => t.partitionData)
            .reduce((n: number, p: Message) => n + readBatchHeader(p.records).recordCount, 0)
        : 0;
    return super.request(...args).pipe(tap(() => (this.answered += records)));
  }
}

/** Counts what a source hands to produce() and the most records held at once: taken, not yet answered. */
function holdings(cluster: CountingCluster) {
  const held = {
    taken: 0,
    mostHeld: 0,
    acknowledged: 0,
    take: () => {
      held.taken++;
      held.mostHeld = Math.max(held.mostHeld, held.taken - cluster.answered);
    },
  };
  return held;
}

function slowProducer(scheduler: TestScheduler, extra: object = {}, rttMs = 50) {
  const cluster = new CountingCluster({ clock: scheduler, topics: { t: 1 }, rttMs });
  const producer = createProducerOn(
    {
      brokers: [],
      acks: 1,
      idempotent: false,
      lingerMs: 0,
      batchBytes: 4096,
      maxInFlightPerBroker: 1,
      bufferMemory: 16384,
      ...extra,
    },
    { cluster, ownsCluster: false },
  );
  return { cluster, producer };
}

describe('bufferMemory', () => {
  it('keeps the records held by the producer within bufferMemory while a source outpaces the broker (virtual time)', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ flush }) => {
      const { cluster, producer } = slowProducer(scheduler);
      const held = holdings(cluster);
      const offsets: bigint[] = [];
      // Records held: taken by the operator and not yet answered by the broker.
      // One 1 KiB record a millisecond; the broker takes about 4 per 50 ms round trip.
      interval(1, scheduler)
        .pipe(
          take(1000),
          produce(producer, (i: number) => {
            held.take();
            return { topic: 't', value: VALUE, headers: [['i', String(i)]] as const };
          }),
        )
        .subscribe((metadata) => {
          held.acknowledged++;
          offsets.push(metadata.offset);
        });
      flush();
      // Held: those in batches (within bufferMemory) and the one whose send waits for room.
      const headerBytes = 10 + 1 + 4;
      expect((held.mostHeld - 1) * (RECORD_SIZE + headerBytes) + BATCH_OVERHEAD).toBeLessThanOrEqual(16384);
      expect(held.mostHeld).toBeGreaterThanOrEqual(10);
      expect(held.acknowledged).toBe(1000);
      expect(offsets).toEqual(Array.from({ length: 1000 }, (_, i) => BigInt(i)));
      expect(cluster.log('t', 0).map((r) => r.headers[0][1]!.toString())).toEqual(
        Array.from({ length: 1000 }, (_, i) => String(i)),
      );
    });
  });

  it('takes values of a synchronous source only as room is freed (virtual time)', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ flush }) => {
      const { cluster, producer } = slowProducer(scheduler);
      const held = holdings(cluster);
      range(0, 500)
        .pipe(
          produce(producer, () => {
            held.take();
            return { topic: 't', value: VALUE };
          }),
        )
        .subscribe(() => held.acknowledged++);
      // Subscribing took only what fits (and the one that found no room), not all 500.
      expect(held.taken).toBeGreaterThan(1);
      expect((held.taken - 1) * RECORD_SIZE).toBeLessThanOrEqual(16384);
      flush();
      expect(held.acknowledged).toBe(500);
      expect((held.mostHeld - 1) * RECORD_SIZE + BATCH_OVERHEAD).toBeLessThanOrEqual(16384);
    });
  });

  it('lets a send that waited for room go once acknowledgements free it (virtual time)', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ expectObservable, flush }) => {
      const { cluster, producer } = slowProducer(scheduler, { bufferMemory: 4096, maxBlockMs: 1000 });
      const three = Array.from({ length: 3 }, () => ({ topic: 't', value: VALUE }));
      expectObservable(producer.send(three).pipe(map((m) => m.length))).toBe('50ms (a|)', { a: 3 });
      // Placed (and so timestamped) when the first answer freed room, at 50 ms.
      expectObservable(
        producer.send({ topic: 't', value: VALUE }).pipe(map(([m]) => [m.offset, m.timestamp])),
      ).toBe('100ms (a|)', { a: [3n, 50] });
      flush();
      expect(cluster.produceRequests().map((r) => r.at)).toEqual([0, 50]);
    });
  });

  it('fails a send still waiting for room at maxBlockMs with a BufferExhaustedError (virtual time)', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ expectObservable }) => {
      // The broker never answers within maxBlockMs: a request takes 5 s here.
      const { producer } = slowProducer(scheduler, { bufferMemory: 4096, maxBlockMs: 1000 }, 5000);
      producer.send(Array.from({ length: 3 }, () => ({ topic: 't', value: VALUE })));
      expectObservable(producer.send({ topic: 't', value: VALUE })).toBe(
        '1000ms #',
        undefined,
        expect.objectContaining({
          name: 'BufferExhaustedError',
          retriable: true,
          message: expect.stringMatching(/bufferMemory \(4096 bytes\).*maxBlockMs \(1000 ms\)/),
        }),
      );
    });
  });

  it('refuses a record larger than bufferMemory', async () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    const { producer } = slowProducer(scheduler, { bufferMemory: 1024 });
    await expect(producer.send({ topic: 't', value: VALUE })).rejects.toThrow(RecordTooLargeError);
    await expect(producer.send({ topic: 't', value: VALUE })).rejects.toThrow(/bufferMemory \(1024 bytes\)/);
  });

  it('is an option checked like the others, 32 MiB by default', () => {
    expect(resolveProducerConfig({ brokers: ['h:1'] }).bufferMemory).toBe(32 * 1024 * 1024);
    expect(() => resolveProducerConfig({ brokers: ['h:1'], bufferMemory: 0 })).toThrow(
      'bufferMemory must be at least 1, got 0',
    );
    expect(() => resolveProducerConfig({ brokers: ['h:1'], bufferMemory: '1m' as never })).toThrow(
      /bufferMemory must be an integer, got "1m"/,
    );
    expect(new BufferExhaustedError('x')).toBeInstanceOf(Error);
  });
});
