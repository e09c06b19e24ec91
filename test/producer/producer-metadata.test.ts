import { TestScheduler } from 'rxjs/testing';
import { ProducerMetadata } from '../../src/producer/producer-metadata';
import { ScriptedProducerCluster } from '../support/scripted-producer-cluster';

describe('ProducerMetadata.refresh', () => {
  it('answers every caller, including those that asked while a refresh was scheduled', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ cold, flush }) => {
      const cluster = new ScriptedProducerCluster({ clock: scheduler, topics: { t: 1 } });
      const metadata = new ProducerMetadata(cluster, { retryBackoffMs: 100 });
      const done: string[] = [];
      const call = (name: string) => () => metadata.refresh(() => done.push(`${name} at ${scheduler.now()}`));
      call('a')();
      // Within retryBackoffMs of the first: one refresh at 100 ms answers both.
      cold('10ms x').subscribe(call('b'));
      cold('20ms x').subscribe(call('c'));
      flush();
      expect(done).toEqual(['a at 0', 'b at 100', 'c at 100']);
      expect(cluster.metadataRequests).toBe(2);
    });
  });
});
