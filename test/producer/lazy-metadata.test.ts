import { lastValueFrom } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { createProducerOn } from '../../src/producer';
import { ProducerBatch } from '../../src/producer/producer-batch';
import { ScriptedProducerCluster } from '../support/scripted-producer-cluster';

describe('send results', () => {
  afterEach(() => jest.restoreAllMocks());

  it('builds the records’ metadata only when asked for, once for every subscriber', async () => {
    const metadataOf = jest.spyOn(ProducerBatch.prototype, 'metadataOf');
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    const cluster = new ScriptedProducerCluster({ clock: scheduler, topics: { t: 2 }, rttMs: 1 });
    const producer = createProducerOn({ brokers: [], lingerMs: 0 }, { cluster, ownsCluster: false });
    const records = Array.from({ length: 5 }, (_, i) => ({ topic: 't', partition: i % 2, value: `v${i}` }));
    const unread = producer.send(records);
    const read = producer.send(records);
    scheduler.flush();
    expect(cluster.log('t', 0)).toHaveLength(6); // every record was written and acknowledged
    expect(metadataOf).not.toHaveBeenCalled();
    const first = await read;
    expect(first.map((m) => [m.partition, m.offset])).toEqual([
      [0, 3n],
      [1, 2n],
      [0, 4n],
      [1, 3n],
      [0, 5n],
    ]);
    expect(metadataOf).toHaveBeenCalledTimes(5);
    expect(await lastValueFrom(read)).toBe(first);
    expect(metadataOf).toHaveBeenCalledTimes(5);
    void unread;
  });
});
