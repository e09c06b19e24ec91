import { asyncScheduler, lastValueFrom, mergeMap } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { createProducerOn, InvalidRecordError, ProducerClosedError } from '../../src/producer';
import { ScriptedProducerCluster } from '../support/scripted-producer-cluster';

function setup(clock: ScriptedProducerCluster['clock'], lingerMs = 5) {
  const cluster = new ScriptedProducerCluster({ clock, topics: { t: 2 }, rttMs: 1 });
  const producer = createProducerOn({ brokers: [], lingerMs }, { cluster, ownsCluster: false });
  return { cluster, producer };
}

describe('send is eager and awaitable', () => {
  it('writes a record nobody subscribes to', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ flush }) => {
      const { cluster, producer } = setup(scheduler);
      producer.send({ topic: 't', partition: 1, value: 'unobserved' });
      flush();
      expect(cluster.log('t', 1).map((r) => r.value?.toString())).toEqual(['unobserved']);
    });
  });

  it('acts at the virtual time of the call in a marble test, and replays to late subscribers', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ cold, expectObservable }) => {
      const { cluster, producer } = setup(scheduler);
      const m = [{ topic: 't', partition: 0, offset: 0n, timestamp: 30 }];
      let sent$ = producer.send({ topic: 't', partition: 1, value: 'placeholder' });
      scheduler.schedule(() => (sent$ = producer.send({ topic: 't', partition: 0, value: 'a' })), 30);
      // Made at 30: linger until 35, Produce 35-36. A subscriber at 100 gets the same outcome.
      scheduler.schedule(() => {
        const seen: unknown[] = [];
        sent$.subscribe({ next: (v) => seen.push(v), complete: () => seen.push('done') });
        expect(seen).toEqual([m, 'done']);
      }, 100);
      expectObservable(cold('30ms (x|)').pipe(mergeMap(() => sent$)), '^').toBe('36ms (m|)', { m });
      scheduler.schedule(() => expect(cluster.produceRequests().map((r) => r.at)).toEqual([5, 35]), 200);
    });
  });

  it('await resolves with the metadata', async () => {
    const { producer } = setup(asyncScheduler, 0);
    const metadata = await producer.send([
      { topic: 't', partition: 1, value: 'a' },
      { topic: 't', partition: 1, value: 'b' },
    ]);
    expect(metadata.map((m) => [m.partition, m.offset])).toEqual([
      [1, 0n],
      [1, 1n],
    ]);
    await producer.close();
  });

  it('await rejects with the error: an invalid record, a closed producer', async () => {
    const { producer } = setup(asyncScheduler, 0);
    await expect(producer.send({ topic: 't', partition: 9, value: 'a' })).rejects.toMatchObject({
      name: 'InvalidRecordError',
      message: expect.stringContaining('partition 9 of "t" does not exist'),
    });
    await expect(producer.send({ topic: '', value: 'a' })).rejects.toBeInstanceOf(InvalidRecordError);
    await producer.close();
    await expect(producer.send({ topic: 't', value: 'a' })).rejects.toBeInstanceOf(ProducerClosedError);
    await expect(lastValueFrom(producer.send({ topic: 't', value: 'a' }))).rejects.toBeInstanceOf(
      ProducerClosedError,
    );
  });

  it('a failed send nobody looks at does not crash the process (no unhandled rejection)', async () => {
    const unhandled: unknown[] = [];
    const listener = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', listener);
    try {
      const { producer } = setup(asyncScheduler, 0);
      producer.send({ topic: 't', partition: 9, value: 'a' });
      await producer.close();
      producer.send({ topic: 't', value: 'after close' });
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', listener);
    }
  });
});
