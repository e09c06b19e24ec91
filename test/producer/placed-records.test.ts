import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { TestScheduler } from 'rxjs/testing';
import { createProducerOn, type Producer, type RecordMetadata } from '../../src/producer';
import type { Eager } from '../../src/eager';
import { ScriptedProducerCluster } from '../support/scripted-producer-cluster';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Sends records made here and keeps only weak references to them, so only the producer can hold them. */
function sendUnheld(producer: Producer): { result: Eager<RecordMetadata[]>; records: WeakRef<object>[] } {
  const records = Array.from({ length: 3 }, (_, i) => ({ topic: 't', value: Buffer.from(`v${i}`) }));
  return { result: producer.send(records), records: records.map((r) => new WeakRef(r)) };
}

describe('a send once placed', () => {
  it('lets go of its records before they are acknowledged (their bytes are in the batch)', async () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    const cluster = new ScriptedProducerCluster({ clock: scheduler, topics: { t: 1 }, rttMs: 100 });
    const producer = createProducerOn(
      { brokers: [], lingerMs: 0, idempotent: false },
      { cluster, ownsCluster: false },
    );
    const { result, records } = sendUnheld(producer);
    scheduler.maxFrames = 50; // placed and sent; the answer is due at 100 ms on the clock
    scheduler.flush();
    let answered = false;
    result.subscribe({ complete: () => (answered = true) });
    expect(answered).toBe(false);
    expect(cluster.produceRequests()).toHaveLength(1);
    // A WeakRef keeps its target alive until the current job ends.
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    expect(records.map((r) => r.deref())).toEqual([undefined, undefined, undefined]);
    scheduler.maxFrames = Infinity;
    scheduler.flush();
    expect((await result).map((m) => m.offset)).toEqual([0n, 1n, 2n]);
  });
});
