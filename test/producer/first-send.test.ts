import { TestScheduler } from 'rxjs/testing';
import { createProducerOn } from '../../src/producer';
import { ErrorCode } from '../../src/protocol/errors';
import { ScriptedProducerCluster } from '../support/scripted-producer-cluster';

/**
 * The first send of an idempotent producer on a fresh broker. Kafka 4.4 answers the first
 * InitProducerId COORDINATOR_LOAD_IN_PROGRESS while it allocates a block of producer ids (seen on
 * every listener of a just-started broker); that costs one `retryBackoffMs`, never more.
 */
describe('first send on a fresh broker', () => {
  function setup(scheduler: TestScheduler) {
    const cluster = new ScriptedProducerCluster({ clock: scheduler, topics: { t: 1 }, rttMs: 1 });
    // As a user's first producer might be configured: idempotent by default, no retries of Produce.
    const producer = createProducerOn(
      { brokers: [], lingerMs: 0, retries: 0, retryBackoffMs: 100 },
      { cluster, ownsCluster: false },
    );
    return { cluster, producer };
  }

  it('retries InitProducerId after COORDINATOR_LOAD_IN_PROGRESS once retryBackoffMs has passed, even with retries: 0', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ expectObservable, flush }) => {
      const { cluster, producer } = setup(scheduler);
      cluster.initProducerIdErrors.push(ErrorCode.COORDINATOR_LOAD_IN_PROGRESS);
      // InitProducerId 0-1 ms (refused), again 101-102 ms, Produce 102-103 ms.
      expectObservable(producer.send({ topic: 't', partition: 0, value: 'a' })).toBe('103ms (a|)', {
        a: [{ topic: 't', partition: 0, offset: 0n, timestamp: 0 }],
      });
      flush();
      expect(cluster.requests.map((r) => `${r.at} ${r.api}`)).toEqual([
        '0 InitProducerId',
        '101 InitProducerId',
        '102 Produce',
      ]);
    });
  });

  it('waits retryBackoffMs between InitProducerId attempts, not a growing backoff', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ expectObservable, flush }) => {
      const { cluster, producer } = setup(scheduler);
      cluster.initProducerIdErrors.push(...Array<number>(4).fill(ErrorCode.COORDINATOR_LOAD_IN_PROGRESS));
      expectObservable(producer.send({ topic: 't', partition: 0, value: 'a' })).toBe('406ms (a|)', {
        a: [{ topic: 't', partition: 0, offset: 0n, timestamp: 0 }],
      });
      flush();
      const at = cluster.requests.filter((r) => r.api === 'InitProducerId').map((r) => r.at);
      expect(at).toEqual([0, 101, 202, 303, 404]);
      expect(cluster.requests.filter((r) => r.api === 'Produce')).toHaveLength(1);
    });
  });
});
