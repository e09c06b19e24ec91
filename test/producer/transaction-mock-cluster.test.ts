import { concat, lastValueFrom } from 'rxjs';
import { ignoreElements } from 'rxjs/operators';
import { createProducer, type Producer, type ProducerConfig } from '../../src/producer';
import { ErrorCode } from '../../src/protocol/errors';
import { BUILDS } from '../broker/builds';
import { consume } from '../broker/kcat';
import { startMockCluster, type MockCluster } from '../broker/mock-cluster';
import { roundRobinRecords } from '../support/round-robin-records';

const API = {
  Produce: 0,
  InitProducerId: 22,
  AddPartitionsToTxn: 24,
  AddOffsetsToTxn: 25,
  EndTxn: 26,
  TxnOffsetCommit: 28,
};

/**
 * Against librdkafka's mock cluster over TCP, with kcat (librdkafka, isolation.level=read_committed)
 * reading back. The mock checks producer ids and epochs on every transactional request and Produce,
 * so a wrong id, epoch or sequence fails here. It writes no transaction markers, though, so it
 * cannot hide the records of an aborted transaction from readers: that part is tested in virtual
 * time (transaction.test.ts).
 */
describe.each(BUILDS)('transactional producer against the %s mock cluster', (build) => {
  let cluster: MockCluster;
  const producers: Producer[] = [];
  const open = (transactionalId: string, config: Partial<ProducerConfig> = {}) => {
    const producer = createProducer({
      brokers: [cluster.bootstrap.split(',')[0]],
      transactionalId,
      ...config,
    });
    producers.push(producer);
    return producer;
  };
  const read = (topic: string) =>
    consume({
      bootstrap: cluster.bootstrap,
      build,
      topic,
      extraArgs: ['-X', 'isolation.level=read_committed'],
    });

  beforeAll(async () => {
    cluster = await startMockCluster({
      build,
      brokers: 3,
      topics: [
        { name: 'committed', partitions: 3 },
        { name: 'aborted', partitions: 1 },
        { name: 'offsets-out', partitions: 1 },
        { name: 'retried', partitions: 1 },
        { name: 'bumped', partitions: 1 },
      ],
    });
    // The transaction coordinator is not the bootstrap broker: requests must be routed to it.
    await cluster.setCoordinator('tx-commit', 3, 'transaction');
  });
  afterAll(async () => {
    await Promise.all(producers.map((p) => p.close()));
    await cluster?.stop();
  });

  it('commits a transaction over three partitions; kcat reads every record, in order', async () => {
    const producer = open('tx-commit');
    if (build === 'new') await cluster.startTracking();
    producer.beginTransaction();
    const records = roundRobinRecords('committed', 30, 3);
    await lastValueFrom(producer.send(records));
    await lastValueFrom(producer.commitTransaction());
    // A second transaction on the same producer id and epoch, sequence numbers running on.
    producer.beginTransaction();
    await lastValueFrom(producer.send({ topic: 'committed', partition: 0, value: 'second' }));
    await lastValueFrom(producer.commitTransaction());

    if (build === 'new') {
      const txnApis = new Set([API.Produce, API.InitProducerId, API.AddPartitionsToTxn, API.EndTxn]);
      const seen = (await cluster.requests()).filter((r) => txnApis.has(r.apiKey));
      await cluster.stopTracking();
      await cluster.clearRequests();
      const keys = seen.map((r) => r.apiKey);
      // Each transaction: its partitions are added before any of its batches, and EndTxn comes last.
      expect(keys[0]).toBe(API.InitProducerId);
      const ends = keys.flatMap((k, i) => (k === API.EndTxn ? [i] : []));
      expect(ends).toHaveLength(2);
      for (const [from, to] of [
        [1, ends[0]],
        [ends[0] + 1, ends[1]],
      ]) {
        const inside = keys.slice(from, to);
        expect(inside[0]).toBe(API.AddPartitionsToTxn);
        expect(inside.filter((k) => k === API.Produce).length).toBeGreaterThan(0);
      }
      // The transaction coordinator is broker 3.
      expect(seen.filter((r) => r.apiKey !== API.Produce).map((r) => r.broker)).toEqual(
        seen.filter((r) => r.apiKey !== API.Produce).map(() => 3),
      );
    }

    const got = await read('committed');
    for (const p of [0, 1, 2]) {
      const expected = records.filter((r) => r.partition === p).map((r) => r.value);
      if (p === 0) expected.push('second');
      expect(got.filter((r) => r.partition === p).map((r) => r.value)).toEqual(expected);
    }
  });

  it('aborts a transaction: the coordinator accepts EndTxn(abort) and the next transaction commits', async () => {
    const producer = open('tx-abort');
    producer.beginTransaction();
    await lastValueFrom(producer.send({ topic: 'aborted', value: 'dropped' }));
    await lastValueFrom(producer.abortTransaction());
    producer.beginTransaction();
    await lastValueFrom(producer.send({ topic: 'aborted', value: 'kept' }));
    await lastValueFrom(producer.commitTransaction());
    // The mock keeps aborted records readable (no markers): both are there, written once each.
    expect((await read('aborted')).map((r) => r.value)).toEqual(['dropped', 'kept']);
  });

  it('sends offsets to the transaction: AddOffsetsToTxn, then TxnOffsetCommit to the group coordinator', async () => {
    const producer = open('tx-offsets');
    await cluster.setCoordinator('eos-group', 2, 'group');
    producer.beginTransaction();
    await lastValueFrom(
      concat(
        producer.send({ topic: 'offsets-out', value: 'out' }).pipe(ignoreElements()),
        producer.sendOffsetsToTransaction([{ topic: 'committed', partition: 1, offset: 4n }], {
          groupId: 'eos-group',
          generationId: -1,
          memberId: '',
          groupInstanceId: null,
        }),
      ),
    );
    await lastValueFrom(producer.commitTransaction());
    expect((await read('offsets-out')).map((r) => r.value)).toEqual(['out']);
  });

  it('retries CONCURRENT_TRANSACTIONS and COORDINATOR_LOAD_IN_PROGRESS from the coordinator', async () => {
    const producer = open('tx-retried', { retryBackoffMs: 20 });
    await cluster.pushErrors(API.AddPartitionsToTxn, [ErrorCode.CONCURRENT_TRANSACTIONS]);
    await cluster.pushErrors(API.EndTxn, [
      ErrorCode.COORDINATOR_LOAD_IN_PROGRESS,
      ErrorCode.CONCURRENT_TRANSACTIONS,
    ]);
    producer.beginTransaction();
    await lastValueFrom(producer.send({ topic: 'retried', value: 'once' }));
    await lastValueFrom(producer.commitTransaction());
    expect((await read('retried')).map((r) => r.value)).toEqual(['once']);
  });

  it('after a failed record, refuses the commit; the abort bumps the epoch and the next transaction commits', async () => {
    const producer = open('tx-bumped');
    producer.beginTransaction();
    await cluster.pushErrors(API.Produce, [ErrorCode.TOPIC_AUTHORIZATION_FAILED]);
    await expect(lastValueFrom(producer.send({ topic: 'bumped', value: 'refused' }))).rejects.toMatchObject({
      name: 'TOPIC_AUTHORIZATION_FAILED',
    });
    await expect(lastValueFrom(producer.commitTransaction())).rejects.toMatchObject({
      name: 'TransactionStateError',
    });
    // InitProducerId with the current id and epoch (KIP-360); the mock checks the epoch on every later request.
    await lastValueFrom(producer.abortTransaction());
    producer.beginTransaction();
    await lastValueFrom(producer.send({ topic: 'bumped', value: 'after' }));
    await lastValueFrom(producer.commitTransaction());
    expect((await read('bumped')).map((r) => r.value)).toEqual(['after']);
  });
});
