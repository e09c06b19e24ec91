import { AsyncSubject, range, Subject } from 'rxjs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { TestScheduler } from 'rxjs/testing';
import { createProducerOn, produce } from '../../src/producer';
import { ErrorCode } from '../../src/protocol/errors';
import type { Producer, RecordMetadata } from '../../src/producer';
import { ScriptedProducerCluster } from '../support/scripted-producer-cluster';

// A full collection on demand, to see what the operator still holds.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

describe('produce operator', () => {
  it('emits each value’s metadata in input order even when a later record is acknowledged first', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ cold, expectObservable }) => {
      const cluster = new ScriptedProducerCluster({ clock: scheduler, topics: { t: 2 }, rttMs: 1 });
      const producer = createProducerOn(
        { brokers: [], lingerMs: 0, idempotent: false, acks: 1, retryBackoffMs: 10 },
        { cluster, ownsCluster: false },
      );
      // Partition 0's first attempt fails, so 'b' (partition 1) is acknowledged before 'a'.
      cluster.fault('t', 0, { errorCode: ErrorCode.NOT_ENOUGH_REPLICAS });
      const input = cold('a b|', { a: 0, b: 1 });
      const out = input.pipe(
        produce(producer, (p: number) => ({ topic: 't', partition: p, value: `v${p}` })),
      );
      expectObservable(out).toBe('12ms (ab|)', {
        a: { topic: 't', partition: 0, offset: 0n, timestamp: 0 },
        b: { topic: 't', partition: 1, offset: 0n, timestamp: 1 },
      });
    });
  });

  it('batches the values instead of waiting for each acknowledgement', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ cold, flush }) => {
      const cluster = new ScriptedProducerCluster({ clock: scheduler, topics: { t: 1 }, rttMs: 1 });
      const producer = createProducerOn({ brokers: [] }, { cluster, ownsCluster: false });
      cold('(abc|)')
        .pipe(produce(producer, (v: string) => ({ topic: 't', value: v })))
        .subscribe();
      flush();
      expect(cluster.produceRequests()).toHaveLength(1);
      expect(cluster.log('t', 0).map((r) => r.value!.toString())).toEqual(['a', 'b', 'c']);
    });
  });

  it('sends the values that wait for room together, as arrays, in order', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ flush }) => {
      const cluster = new ScriptedProducerCluster({ clock: scheduler, topics: { t: 3 }, rttMs: 1 });
      const producer = createProducerOn({ brokers: [], bufferMemory: 8192 }, { cluster, ownsCluster: false });
      const send = jest.spyOn(producer, 'send');
      const offsets: string[] = [];
      range(0, 2500)
        .pipe(produce(producer, (i: number) => ({ topic: 't', partition: i % 3, value: `v${i}` })))
        .subscribe((m) => offsets.push(`${m.partition}:${m.offset}`));
      flush();
      const sizes = send.mock.calls.map(([records]) => (records as unknown[]).length);
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(2500);
      // Gathered while `range` emits, and while waiting for room: arrays, not a send a value.
      expect(sizes.length).toBeLessThan(2500 / 10);
      expect(offsets).toEqual(Array.from({ length: 2500 }, (_, i) => `${i % 3}:${Math.floor(i / 3)}`));
    });
  });

  it('sends a synchronous source in arrays on a producer that knows its topics, as on one that does not', () => {
    /** The sizes of the sends `produce` makes for 2500 values of `range`, and the metadata it emits. */
    const sendsOf = (warm: boolean) => {
      const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
      return scheduler.run(({ flush }) => {
        const cluster = new ScriptedProducerCluster({ clock: scheduler, topics: { t: 2 }, rttMs: 1 });
        const producer = createProducerOn({ brokers: [] }, { cluster, ownsCluster: false });
        if (warm) {
          producer.send({ topic: 't', partition: 0, value: 'first' }).subscribe();
          flush();
        }
        const send = jest.spyOn(producer, 'send');
        const before = cluster.produceRequests().length;
        const offsets: string[] = [];
        range(0, 2500)
          .pipe(produce(producer, (i: number) => ({ topic: 't', partition: i % 2, value: `v${i}` })))
          .subscribe((m) => offsets.push(`${m.partition}:${m.offset}`));
        flush();
        const sizes = send.mock.calls.map(([records]) => (records as unknown[]).length);
        return { sizes, offsets, produceRequests: cluster.produceRequests().length - before };
      });
    };
    const cold = sendsOf(false);
    const warm = sendsOf(true);
    // Values a source emits while subscribed to go together, whether or not a send would wait.
    expect(cold.sizes).toEqual([1000, 1000, 500]);
    expect(warm.sizes).toEqual(cold.sizes);
    // Kafka's rule holds either way: one batch per partition per request, each batch filled.
    expect(warm.produceRequests).toBe(cold.produceRequests);
    expect(cold.offsets).toEqual(Array.from({ length: 2500 }, (_, i) => `${i % 2}:${Math.floor(i / 2)}`));
    // The warm-up record took offset 0 of partition 0.
    expect(warm.offsets).toEqual(
      Array.from({ length: 2500 }, (_, i) => `${i % 2}:${Math.floor(i / 2) + (i % 2 === 0 ? 1 : 0)}`),
    );
  });

  it('lets go of metadata once emitted, while later sends are still pending', async () => {
    // Each send is settled by hand: the first is acknowledged and emitted, the second is not.
    const sends: AsyncSubject<RecordMetadata[]>[] = [];
    const producer = {
      send: () => {
        const result = new AsyncSubject<RecordMetadata[]>();
        sends.push(result);
        return result;
      },
    } as unknown as Producer;
    const values = new Subject<number>();
    const emitted: number[] = [];
    values
      .pipe(produce(producer, (i: number) => ({ topic: 't', value: `v${i}` })))
      .subscribe((m) => emitted.push(Number(m.offset)));
    values.next(0);
    values.next(1);
    expect(sends).toHaveLength(2);
    let first: WeakRef<RecordMetadata[]>;
    // In a function of its own, so no variable of the test keeps the array alive.
    (() => {
      const metadata: RecordMetadata[] = [{ topic: 't', partition: 0, offset: 0n, timestamp: 0 }];
      first = new WeakRef(metadata);
      sends[0].next(metadata);
      sends[0].complete();
      sends.shift();
    })();
    expect(emitted).toEqual([0]);
    // A WeakRef's target is kept until the job that made it ends.
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
    expect(first!.deref()).toBeUndefined();
    sends[0].next([{ topic: 't', partition: 0, offset: 1n, timestamp: 0 }]);
    sends[0].complete();
    expect(emitted).toEqual([0, 1]);
  });
});
