import { TestScheduler } from 'rxjs/testing';
import { createProducerOn, murmur2, toPositive } from '../../src/producer';
import { ScriptedProducerCluster } from '../support/scripted-producer-cluster';

describe('string keys', () => {
  it('go to the partition murmur2 gives for their UTF-8 bytes, as the Java client puts them', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ flush }) => {
      const cluster = new ScriptedProducerCluster({ clock: scheduler, topics: { t: 7 }, rttMs: 1 });
      const producer = createProducerOn({ brokers: [] }, { cluster, ownsCluster: false });
      // Short, multi-byte and longer than the 1 KiB scratch buffer (after UTF-8).
      const keys = [
        'k1',
        'k2',
        'über',
        '☕-key',
        'x'.repeat(2000),
        'é'.repeat(600),
        ...Array.from({ length: 50 }, (_, i) => `k${i}`),
      ];
      const partitions: number[] = [];
      producer
        .send(keys.map((key) => ({ topic: 't', key, value: 'v' })))
        .subscribe((metadata) => partitions.push(...metadata.map((m) => m.partition)));
      flush();
      expect(partitions).toEqual(keys.map((key) => toPositive(murmur2(Buffer.from(key, 'utf8'))) % 7));
      expect(new Set(partitions).size).toBeGreaterThan(3);
    });
  });
});
