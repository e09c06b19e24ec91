import { TestScheduler } from 'rxjs/testing';
import { map } from 'rxjs/operators';
import { createProducerOn } from '../../src/producer';
import type { ProducerConfig } from '../../src/producer';
import { jitteryClock } from '../support/jittery-clock';
import { ScriptedProducerCluster } from '../support/scripted-producer-cluster';

function setup(
  scheduler: TestScheduler,
  config: Partial<ProducerConfig> = {},
  topics: Record<string, number> = { t: 1 },
) {
  const cluster = new ScriptedProducerCluster({ clock: scheduler, topics, rttMs: 1 });
  const producer = createProducerOn(
    { brokers: [], idempotent: false, acks: 1, ...config },
    { cluster, ownsCluster: false },
  );
  return { cluster, producer };
}

const offsets = map((mds: { offset: bigint }[]) => mds.map((m) => m.offset));

describe('batching and linger', () => {
  it.each<[string, Partial<ProducerConfig>, string, number[]]>([
    ['sends a batch that is not full once it has lingered 5 ms', {}, '6ms (a|)', [5]],
    ['with lingerMs 0 sends what one send call gave at once, in one batch', { lingerMs: 0 }, '1ms (a|)', [0]],
  ])('%s', (_name, config, acked, sentAt) => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ expectObservable, flush }) => {
      const { cluster, producer } = setup(scheduler, config);
      expectObservable(
        producer
          .send([
            { topic: 't', value: 'a' },
            { topic: 't', value: 'b' },
          ])
          .pipe(offsets),
      ).toBe(acked, {
        a: [0n, 1n],
      });
      flush();
      expect(cluster.produceRequests().map((r) => r.at)).toEqual(sentAt);
      expect(cluster.log('t', 0).map((r) => r.value?.toString())).toEqual(['a', 'b']);
    });
  });

  it('gathers records sent within the linger time into one batch', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ cold, expectObservable, flush }) => {
      const { cluster, producer } = setup(scheduler);
      const first = producer.send({ topic: 't', value: 'a' });
      const second = cold('--x').pipe(map(() => producer.send({ topic: 't', value: 'b' })));
      expectObservable(first.pipe(offsets)).toBe('6ms (a|)', { a: [0n] });
      second.subscribe((send$) => send$.subscribe());
      flush();
      expect(cluster.produceRequests()).toHaveLength(1);
      expect(cluster.log('t', 0)).toHaveLength(2);
    });
  });

  it('sends a full batch at once, and the rest after linger', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ expectObservable, flush }) => {
      // Each record is about 77 bytes in the size estimate; two fit in 250 with the batch header, three do not.
      const { cluster, producer } = setup(scheduler, { batchBytes: 250 });
      const value = 'v'.repeat(40);
      const records = [0, 1, 2].map(() => ({ topic: 't', value }));
      expectObservable(producer.send(records).pipe(offsets)).toBe('6ms (a|)', { a: [0n, 1n, 2n] });
      flush();
      expect(cluster.produceRequests().map((r) => r.at)).toEqual([0, 5]);
      expect(cluster.produceRequests().map((r) => r.body.topicData[0].partitionData[0].index)).toEqual([
        0, 0,
      ]);
    });
  });

  it('puts batches for partitions of one leader into one request', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ flush }) => {
      const { cluster, producer } = setup(scheduler, {}, { t: 3, u: 1 });
      producer
        .send([
          { topic: 't', partition: 0, value: 'a' },
          { topic: 't', partition: 2, value: 'b' },
          { topic: 'u', partition: 0, value: 'c' },
        ])
        .subscribe();
      flush();
      const [request] = cluster.produceRequests();
      expect(cluster.produceRequests()).toHaveLength(1);
      expect(request.body.acks).toBe(1);
      expect(
        request.body.topicData.map((t: { name: string; partitionData: { index: number }[] }) => [
          t.name,
          t.partitionData.map((p) => p.index),
        ]),
      ).toEqual([
        ['t', [0, 2]],
        ['u', [0]],
      ]);
    });
  });

  it('flush sends lingering batches now and resolves when they are acknowledged', async () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    const cluster = new ScriptedProducerCluster({ clock: scheduler, topics: { t: 1 }, rttMs: 1 });
    const producer = createProducerOn(
      { brokers: [], idempotent: false, lingerMs: 1000 },
      { cluster, ownsCluster: false },
    );
    producer.send({ topic: 't', value: 'a' }).subscribe();
    const flushed = producer.flush();
    expect(cluster.produceRequests().map((r) => r.at)).toEqual([0]);
    scheduler.flush();
    await flushed;
    expect(cluster.log('t', 0)).toHaveLength(1);
  });
});

describe('timers that fire early', () => {
  // Wall-clock timers may fire a millisecond before Date.now() says the delay has passed.
  it('still sends a lingering batch and a retry when the clock lags its timers', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ flush }) => {
      const cluster = new ScriptedProducerCluster({
        clock: jitteryClock(scheduler, () => true),
        topics: { t: 1 },
        rttMs: 1,
      });
      const producer = createProducerOn({ brokers: [], idempotent: false }, { cluster, ownsCluster: false });
      cluster.fault('t', 0, { errorCode: 19 });
      const acked = jest.fn();
      producer.send({ topic: 't', value: 'a' }).subscribe(acked);
      flush();
      expect(acked).toHaveBeenCalledTimes(1);
      expect(cluster.produceRequests().map((r) => r.at)).toEqual([4, 105]); // as the clock tells it, 1 ms early
    });
  });
});
