import { asyncScheduler, concat, defer, lastValueFrom, type Observable, throwError } from 'rxjs';
import { concatMap, delay, ignoreElements, map, mergeMap } from 'rxjs/operators';
import { TestScheduler } from 'rxjs/testing';
import { createProducerOn, type Producer, type ProducerConfig } from '../../src/producer';
import { ErrorCode } from '../../src/protocol/errors';
import { TransactionCluster } from '../support/transaction-cluster';

const group = { groupId: 'g', generationId: 7, memberId: 'member-1', groupInstanceId: null };

function setup(scheduler: TestScheduler, config: Partial<ProducerConfig> = {}, cluster?: TransactionCluster) {
  const c = cluster ?? new TransactionCluster({ clock: scheduler, topics: { t: 2, u: 1 }, rttMs: 1 });
  const producer = createProducerOn(
    { brokers: [], lingerMs: 0, retryBackoffMs: 100, transactionalId: 'tx', ...config },
    { cluster: c, ownsCluster: false },
  );
  return { cluster: c, producer };
}

const values = (cluster: TransactionCluster, topic: string, partition: number) =>
  cluster.visible(topic, partition).map((r) => r.value?.toString());
const written = (cluster: TransactionCluster, topic: string, partition: number) =>
  cluster.log(topic, partition).map((r) => r.value?.toString());
const apis = (cluster: TransactionCluster) => cluster.requests.map((r) => r.api);
const newScheduler = () => new TestScheduler((a, b) => expect(a).toEqual(b));

/** Sends, then runs `then` once the records are acknowledged. */
function sendThen(
  producer: Producer,
  records: Parameters<Producer['send']>[0],
  then: () => Observable<void>,
) {
  return producer.send(records).pipe(concatMap(() => then()));
}

describe('transactional producer', () => {
  it('adds the partitions before the first batch, then commits: InitProducerId, AddPartitionsToTxn, Produce, EndTxn', () => {
    const scheduler = newScheduler();
    scheduler.run(({ expectObservable, flush }) => {
      const { cluster, producer } = setup(scheduler);
      producer.beginTransaction();
      const records = [
        { topic: 't', partition: 0, value: 'a' },
        { topic: 't', partition: 1, value: 'b' },
      ];
      // InitProducerId answers at 1, AddPartitionsToTxn at 2, Produce at 3, EndTxn at 4.
      expectObservable(sendThen(producer, records, () => producer.commitTransaction())).toBe('4ms (c|)', {
        c: undefined,
      });
      flush();
      expect(apis(cluster)).toEqual(['InitProducerId', 'AddPartitionsToTxn', 'Produce', 'EndTxn']);
      expect(cluster.apiRequests('InitProducerId')[0]).toMatchObject({
        transactionalId: 'tx',
        transactionTimeoutMs: 60000,
      });
      expect(cluster.apiRequests('AddPartitionsToTxn')[0]).toEqual({
        v3AndBelowTransactionalId: 'tx',
        v3AndBelowProducerId: 1000n,
        v3AndBelowProducerEpoch: 0,
        v3AndBelowTopics: [{ name: 't', partitions: [0, 1] }],
      });
      expect(cluster.apiRequests('Produce')[0]).toMatchObject({ transactionalId: 'tx', acks: -1 });
      expect(cluster.apiRequests('EndTxn')[0]).toEqual({
        transactionalId: 'tx',
        producerId: 1000n,
        producerEpoch: 0,
        committed: true,
      });
      expect(cluster.violations).toEqual([]);
      expect([values(cluster, 't', 0), values(cluster, 't', 1)]).toEqual([['a'], ['b']]);
    });
  });

  it('aborts: records written in the transaction stay invisible, and the next transaction goes on', () => {
    const scheduler = newScheduler();
    scheduler.run(({ expectObservable, flush }) => {
      const { cluster, producer } = setup(scheduler, { transactionTimeoutMs: 9000 });
      const run$ = defer(() => {
        producer.beginTransaction();
        return sendThen(producer, { topic: 't', partition: 0, value: 'aborted' }, () =>
          producer.abortTransaction(),
        );
      }).pipe(
        concatMap(() => {
          producer.beginTransaction();
          return sendThen(producer, { topic: 't', partition: 0, value: 'committed' }, () =>
            producer.commitTransaction(),
          );
        }),
      );
      expectObservable(run$).toBe('7ms (c|)', { c: undefined });
      flush();
      expect(written(cluster, 't', 0)).toEqual(['aborted', 'committed']);
      expect(values(cluster, 't', 0)).toEqual(['committed']);
      expect(cluster.apiRequests('EndTxn').map((b) => b.committed)).toEqual([false, true]);
      // Each transaction adds its partitions again; sequence numbers run on across transactions.
      expect(cluster.apiRequests('AddPartitionsToTxn')).toHaveLength(2);
      expect(cluster.batches.get('t/0')!.map((b) => b.baseSequence)).toEqual([0, 1]);
      expect(cluster.apiRequests('InitProducerId')).toEqual([
        expect.objectContaining({ transactionalId: 'tx', transactionTimeoutMs: 9000 }),
      ]);
      expect(cluster.violations).toEqual([]);
    });
  });

  it('abort drops records not sent yet, with a TransactionAbortedError, and needs no EndTxn when nothing was added', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable, flush }) => {
      const { cluster, producer } = setup(scheduler, { lingerMs: 50 });
      producer.beginTransaction();
      expectObservable(producer.send({ topic: 't', partition: 0, value: 'never' })).toBe(
        '10ms #',
        undefined,
        expect.objectContaining({
          name: 'TransactionAbortedError',
          message: expect.stringContaining('t[0]'),
        }),
      );
      expectObservable(cold('10ms (a|)').pipe(mergeMap(() => producer.abortTransaction()))).toBe(
        '10ms (a|)',
        {
          a: undefined,
        },
      );
      flush();
      expect(apis(cluster)).toEqual(['InitProducerId']);
      expect(cluster.log('t', 0)).toEqual([]);
      // Ready again.
      expect(() => producer.beginTransaction()).not.toThrow();
    });
  });

  it('refuses calls the state does not allow, with a TransactionStateError', () => {
    const scheduler = newScheduler();
    scheduler.run(() => {
      const { producer } = setup(scheduler);
      // Each of these fails on subscription, before anything is sent.
      const errorOf = (source: Observable<unknown>) => {
        let error: unknown;
        source.subscribe({ error: (e: unknown) => (error = e) });
        return error;
      };
      const stateError = (text: string) =>
        expect.objectContaining({ name: 'TransactionStateError', message: expect.stringContaining(text) });
      expect(errorOf(producer.send({ topic: 't', value: 'x' }))).toEqual(
        stateError('send: no transaction is open'),
      );
      expect(errorOf(producer.commitTransaction())).toEqual(
        stateError('commitTransaction: no transaction is open'),
      );
      expect(errorOf(producer.abortTransaction())).toEqual(
        stateError('abortTransaction: no transaction is open'),
      );
      expect(errorOf(producer.sendOffsetsToTransaction([], group))).toEqual(
        stateError('no transaction is open'),
      );
      producer.beginTransaction();
      expect(() => producer.beginTransaction()).toThrow(
        stateError('beginTransaction: a transaction is already open'),
      );
      expect(
        errorOf(
          producer.sendOffsetsToTransaction(
            [{ topic: 'in', partition: 0, offset: 1 as unknown as bigint }],
            group,
          ),
        ),
      ).toEqual(stateError('an offset that is a bigint'));

      const plain = setup(scheduler, { transactionalId: undefined }).producer;
      expect(() => plain.beginTransaction()).toThrow(stateError('no transactionalId'));
      expect(errorOf(plain.commitTransaction())).toEqual(stateError('no transactionalId'));
    });
  });

  it('retries CONCURRENT_TRANSACTIONS and COORDINATOR_LOAD_IN_PROGRESS after retryBackoffMs, and looks the coordinator up again after NOT_COORDINATOR', () => {
    const scheduler = newScheduler();
    scheduler.run(({ expectObservable, flush }) => {
      const { cluster, producer } = setup(scheduler);
      const dead = jest.spyOn(cluster, 'coordinatorDead');
      cluster.failNext('AddPartitionsToTxn', ErrorCode.CONCURRENT_TRANSACTIONS);
      cluster.failNext('EndTxn', ErrorCode.COORDINATOR_LOAD_IN_PROGRESS, ErrorCode.NOT_COORDINATOR);
      producer.beginTransaction();
      // AddPartitionsToTxn at 1 and 102; Produce 103-104; EndTxn at 104, 205 and 306.
      expectObservable(
        sendThen(producer, { topic: 't', partition: 0, value: 'a' }, () => producer.commitTransaction()),
      ).toBe('307ms (c|)', { c: undefined });
      flush();
      const at = (api: string) => cluster.requests.filter((r) => r.api === api).map((r) => r.at);
      expect(at('AddPartitionsToTxn')).toEqual([1, 102]);
      expect(at('Produce')).toEqual([103]);
      expect(at('EndTxn')).toEqual([104, 205, 306]);
      expect(dead).toHaveBeenCalledTimes(1);
      expect(dead).toHaveBeenCalledWith('tx', 'transaction');
      expect(values(cluster, 't', 0)).toEqual(['a']);
    });
  });

  it('is fenced by a newer producer with the same transactionalId: ProducerFencedError, then every call fails', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable, flush }) => {
      const { cluster, producer } = setup(scheduler);
      const newer = setup(scheduler, {}, cluster).producer;
      producer.beginTransaction();
      const old$ = sendThen(producer, { topic: 't', partition: 0, value: 'zombie' }, () =>
        // The newer producer starts at 5 (its InitProducerId bumps the epoch); the old one commits at 10.
        cold('7ms (a|)').pipe(concatMap(() => producer.commitTransaction())),
      );
      expectObservable(old$).toBe(
        '11ms #',
        undefined,
        expect.objectContaining({ name: 'ProducerFencedError', code: ErrorCode.PRODUCER_FENCED }),
      );
      expectObservable(
        cold('5ms (a|)').pipe(
          mergeMap(() => {
            newer.beginTransaction();
            return cold('7ms (a|)').pipe(
              concatMap(() =>
                sendThen(newer, { topic: 't', partition: 0, value: 'new' }, () => newer.commitTransaction()),
              ),
            );
          }),
        ),
      ).toBe('15ms (c|)', { c: undefined });
      flush();
      expect(cluster.apiRequests('InitProducerId').length).toBe(2);
      expect(values(cluster, 't', 0)).toEqual(['new']);
      expect(() => producer.beginTransaction()).toThrow(
        expect.objectContaining({
          name: 'TransactionStateError',
          message: expect.stringContaining('fenced'),
        }),
      );
    });
  });

  it('sends offsets with AddOffsetsToTxn then TxnOffsetCommit to the group coordinator; they count only if the transaction commits', () => {
    const scheduler = newScheduler();
    scheduler.run(({ expectObservable, flush }) => {
      const { cluster, producer } = setup(scheduler);
      const coordinator = jest.spyOn(cluster, 'coordinator');
      const offsets = [
        { topic: 'in', partition: 0, offset: 5n },
        { topic: 'in', partition: 2, offset: 9n },
      ];
      const aborted$ = defer(() => {
        producer.beginTransaction();
        return producer.sendOffsetsToTransaction([{ topic: 'in', partition: 0, offset: 3n }], group);
      }).pipe(concatMap(() => producer.abortTransaction()));
      const committed$ = defer(() => {
        producer.beginTransaction();
        // Eager calls act when made: defer the offsets so they go once the record is written.
        return concat(
          producer.send({ topic: 'u', value: 'out' }).pipe(ignoreElements()),
          defer(() => producer.sendOffsetsToTransaction(offsets, { ...group, groupInstanceId: 'static-1' })),
        );
      }).pipe(concatMap(() => producer.commitTransaction()));
      // Abort at 4 (InitProducerId, AddOffsetsToTxn, TxnOffsetCommit, EndTxn); commit at 9.
      expectObservable(concat(aborted$, committed$).pipe(map(() => 'x'))).toBe('4ms x 4ms (x|)');
      flush();
      expect(apis(cluster)).toEqual([
        'InitProducerId',
        'AddOffsetsToTxn',
        'TxnOffsetCommit',
        'EndTxn',
        'AddPartitionsToTxn',
        'Produce',
        'AddOffsetsToTxn',
        'TxnOffsetCommit',
        'EndTxn',
      ]);
      expect(cluster.apiRequests('AddOffsetsToTxn')[1]).toEqual({
        transactionalId: 'tx',
        producerId: 1000n,
        producerEpoch: 0,
        groupId: 'g',
      });
      expect(cluster.apiRequests('TxnOffsetCommit')[1]).toEqual({
        transactionalId: 'tx',
        groupId: 'g',
        producerId: 1000n,
        producerEpoch: 0,
        generationId: 7,
        memberId: 'member-1',
        groupInstanceId: 'static-1',
        topics: [
          {
            name: 'in',
            partitions: [
              { partitionIndex: 0, committedOffset: 5n, committedLeaderEpoch: -1, committedMetadata: '' },
              { partitionIndex: 2, committedOffset: 9n, committedLeaderEpoch: -1, committedMetadata: '' },
            ],
          },
        ],
      });
      expect(coordinator).toHaveBeenCalledWith('g', 'group');
      expect(coordinator).toHaveBeenCalledWith('tx', 'transaction');
      expect(cluster.committed.get('g')).toEqual(
        new Map([
          ['in/0', 5n],
          ['in/2', 9n],
        ]),
      );
      expect(values(cluster, 'u', 0)).toEqual(['out']);
    });
  });

  it('makes the transaction abortable when a record fails: commit is refused; abort bumps the epoch over the sequence gap', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable, flush }) => {
      const { cluster, producer } = setup(scheduler);
      cluster.fault('t', 0, { errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED });
      producer.beginTransaction();
      expectObservable(producer.send({ topic: 't', partition: 0, value: 'a' })).toBe(
        '3ms #',
        undefined,
        expect.objectContaining({ name: 'TOPIC_AUTHORIZATION_FAILED' }),
      );
      expectObservable(cold('5ms (a|)').pipe(mergeMap(() => producer.commitTransaction()))).toBe(
        '5ms #',
        undefined,
        expect.objectContaining({
          name: 'TransactionStateError',
          message: expect.stringContaining('abort it'),
          cause: expect.objectContaining({ name: 'TOPIC_AUTHORIZATION_FAILED' }),
        }),
      );
      // EndTxn(abort) 6-7, then InitProducerId with the current id and epoch 7-8.
      const next$ = cold('6ms (a|)').pipe(
        mergeMap(() => producer.abortTransaction()),
        concatMap(() => {
          producer.beginTransaction();
          return sendThen(producer, { topic: 't', partition: 0, value: 'b' }, () =>
            producer.commitTransaction(),
          );
        }),
      );
      expectObservable(next$).toBe('11ms (a|)', { a: undefined });
      flush();
      expect(cluster.apiRequests('EndTxn').map((b) => [b.committed, b.producerEpoch])).toEqual([
        [false, 0],
        [true, 1],
      ]);
      expect(cluster.apiRequests('InitProducerId')[1]).toMatchObject({
        transactionalId: 'tx',
        producerId: 1000n,
        producerEpoch: 0,
      });
      // The new epoch starts its sequence numbers at 0.
      expect(cluster.batches.get('t/0')!.map((b) => [b.producerEpoch, b.baseSequence])).toEqual([[1, 0]]);
      expect(values(cluster, 't', 0)).toEqual(['b']);
    });
  });

  it('refuses the commit after TxnOffsetCommit says the member is of an old generation', () => {
    const scheduler = newScheduler();
    scheduler.run(({ expectObservable }) => {
      const { cluster, producer } = setup(scheduler);
      cluster.failNext('TxnOffsetCommit', ErrorCode.ILLEGAL_GENERATION);
      producer.beginTransaction();
      const run$ = producer.sendOffsetsToTransaction([{ topic: 'in', partition: 0, offset: 1n }], group);
      expectObservable(run$).toBe(
        '3ms #',
        undefined,
        expect.objectContaining({ name: 'ILLEGAL_GENERATION' }),
      );
      expectObservable(
        scheduler.createColdObservable('4ms (a|)').pipe(mergeMap(() => producer.commitTransaction())),
      ).toBe('4ms #', undefined, expect.objectContaining({ name: 'TransactionStateError' }));
    });
  });

  it("transaction(): emits the work's values once committed; aborts and passes the error on when the work fails", () => {
    const scheduler = newScheduler();
    scheduler.run(({ expectObservable, flush }) => {
      const { cluster, producer } = setup(scheduler);
      const ok$ = producer.transaction((tx) =>
        tx.send({ topic: 't', partition: 1, value: 'kept' }).pipe(map((m) => m[0].offset)),
      );
      const failed$ = producer.transaction((tx) =>
        tx
          .send({ topic: 't', partition: 1, value: 'dropped' })
          .pipe(concatMap(() => throwError(() => new Error('boom')))),
      );
      expectObservable(concat(ok$, failed$.pipe(delay(0)))).toBe('4ms a 2ms #', { a: 0n }, new Error('boom'));
      flush();
      expect(written(cluster, 't', 1)).toEqual(['kept', 'dropped']);
      expect(values(cluster, 't', 1)).toEqual(['kept']);
      expect(cluster.apiRequests('EndTxn').map((b) => b.committed)).toEqual([true, false]);
    });
  });

  it('abort while AddPartitionsToTxn is on its way: lets it answer, then ends the transaction it opened', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable, flush }) => {
      const cluster = new TransactionCluster({ clock: scheduler, topics: { t: 1 }, rttMs: 10 });
      const { producer } = setup(scheduler, {}, cluster);
      producer.beginTransaction();
      // InitProducerId 0-10, AddPartitionsToTxn 10-20; the abort at 15 drops the batch, EndTxn 20-30.
      expectObservable(producer.send({ topic: 't', partition: 0, value: 'x' })).toBe(
        '15ms #',
        undefined,
        expect.objectContaining({ name: 'TransactionAbortedError' }),
      );
      expectObservable(cold('15ms (a|)').pipe(mergeMap(() => producer.abortTransaction()))).toBe(
        '30ms (a|)',
        {
          a: undefined,
        },
      );
      flush();
      expect(apis(cluster)).toEqual(['InitProducerId', 'AddPartitionsToTxn', 'EndTxn']);
      expect(cluster.apiRequests('EndTxn')[0]).toMatchObject({ committed: false });
    });
  });

  it('close() aborts an open transaction, then refuses every call', async () => {
    const cluster = new TransactionCluster({ clock: asyncScheduler, topics: { t: 1 }, rttMs: 1 });
    const producer = createProducerOn(
      { brokers: [], lingerMs: 0, transactionalId: 'tx' },
      { cluster, ownsCluster: false },
    );
    producer.beginTransaction();
    await lastValueFrom(producer.send({ topic: 't', partition: 0, value: 'left open' }));
    await producer.close();
    expect(cluster.apiRequests('EndTxn')).toEqual([expect.objectContaining({ committed: false })]);
    expect(cluster.visible('t', 0)).toEqual([]);
    expect(() => producer.beginTransaction()).toThrow(
      expect.objectContaining({ name: 'ProducerClosedError' }),
    );
    await expect(lastValueFrom(producer.commitTransaction())).rejects.toMatchObject({
      name: 'ProducerClosedError',
    });
  });
});
