import { TestScheduler } from 'rxjs/testing';
import { createProducerOn, ProducerFencedError, type ProducerConfig } from '../../src/producer';
import { ErrorCode } from '../../src/protocol/errors';
import { TransactionCluster } from '../support/transaction-cluster';

function producerOn(cluster: TransactionCluster, config: Partial<ProducerConfig> = {}) {
  return createProducerOn(
    { brokers: [], lingerMs: 0, retryBackoffMs: 100, transactionalId: 'tx', ...config },
    { cluster, ownsCluster: false },
  );
}

describe('a fenced transactional producer', () => {
  it('fails the send of its next transaction with ProducerFencedError (AddPartitionsToTxn answered PRODUCER_FENCED)', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    const cluster = new TransactionCluster({ clock: scheduler, topics: { t: 1 }, rttMs: 1 });
    const old = producerOn(cluster);
    const newer = producerOn(cluster);
    const outcomes: unknown[] = [];
    const record = (what: string) => ({
      next: () => outcomes.push(`${what} ok`),
      error: (e: unknown) => outcomes.push(e),
    });
    old.beginTransaction();
    old.send({ topic: 't', partition: 0, value: 'a' }).subscribe(record('old send'));
    scheduler.flush();
    void old.commitTransaction().then(() => outcomes.push('old commit ok'));
    scheduler.flush();
    // The newer producer's InitProducerId bumps the epoch: the old one is fenced from here on.
    newer.beginTransaction();
    newer.send({ topic: 't', partition: 0, value: 'b' }).subscribe(record('newer send'));
    scheduler.flush();

    old.beginTransaction();
    old.send({ topic: 't', partition: 0, value: 'zombie' }).subscribe(record('zombie send'));
    scheduler.flush();

    expect(outcomes.slice(0, 1)).toEqual(['old send ok']);
    expect(outcomes).toContain('newer send ok');
    const zombie = outcomes[outcomes.length - 1];
    expect(zombie).toBeInstanceOf(ProducerFencedError);
    expect(zombie).toMatchObject({ name: 'ProducerFencedError', code: ErrorCode.PRODUCER_FENCED });
  });
});
